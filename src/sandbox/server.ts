import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The small HTTP server every sandbox upstream is built on: exact-path routing with `:params`,
 * a record of every call (for tests that count upstream requests), and fault injection per route.
 */

export interface SandboxRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  /** A string or Buffer is sent as is, a Readable is piped, anything else is sent as JSON. */
  body?: unknown;
}

export type Handler = (req: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>;

/** What goes wrong on a route. Several may be combined; `times` limits how often it applies. */
export interface Fault {
  /** Added before the handler runs. */
  latencyMs?: number;
  /** Answer with this status (and body) instead of running the handler. */
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  /** Never answer; the client's timeout has to end it. */
  hang?: boolean;
  /** Destroy the connection without answering. */
  drop?: boolean;
  /** Answer 200 with a truncated JSON body. */
  malformed?: boolean;
  /** Run the handler but send its body at this many bytes a second (headers at once). */
  trickleBytesPerSecond?: number;
  /** Apply to the next N calls only; unlimited when absent. */
  times?: number;
  /** Apply only to requests whose body contains this text (e.g. one GraphQL operation). */
  match?: string;
}

export interface RecordedCall {
  route: string;
  method: string;
  path: string;
  at: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface Route {
  key: string;
  method: string;
  parts: string[];
  handler: Handler;
}

const MAX_BODY = 20 * 1024 * 1024;

export class SandboxServer {
  private readonly routes: Route[] = [];
  private readonly faults = new Map<string, Fault[]>();
  private readonly recorded: RecordedCall[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly inFlight = new Map<string, { now: number; peak: number }>();
  private server: http.Server | null = null;
  /** Latency added to every route, e.g. to benchmark against a distant upstream. */
  latencyMs = 0;
  /** Runs before routing, e.g. to redirect URLs without a trailing slash; a response stops the request there. */
  preRoute: ((method: string, path: string, search: string) => SandboxResponse | null) | null = null;
  /** Runs before every handler (after faults), e.g. authentication; a response stops the request there. */
  guard: ((req: SandboxRequest, routeKey: string) => SandboxResponse | null) | null = null;
  url = '';

  constructor(readonly name: string) {}

  /** Registers `METHOD /path/:param`; the same string is the route key for `inject` and `calls`. */
  route(key: string, handler: Handler): this {
    const [method, pattern] = key.split(' ') as [string, string];
    this.routes.push({ key, method, parts: pattern.split('/'), handler });
    return this;
  }

  inject(routeKey: string, fault: Fault): void {
    if (!this.routes.some((r) => r.key === routeKey)) throw new Error(`${this.name} sandbox has no route "${routeKey}"`);
    const list = this.faults.get(routeKey) ?? [];
    list.push({ ...fault });
    this.faults.set(routeKey, list);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  calls(routeKey?: string): RecordedCall[] {
    return routeKey ? this.recorded.filter((c) => c.route === routeKey) : [...this.recorded];
  }

  resetCalls(): void {
    this.recorded.length = 0;
    for (const v of this.inFlight.values()) v.peak = v.now;
  }

  /** Most calls of a route handled at once since the last `resetCalls()` (for tests of concurrency caps). */
  peakInFlight(routeKey: string): number {
    return this.inFlight.get(routeKey)?.peak ?? 0;
  }

  /**
   * Starts listening. With `tls`, over HTTPS; with `tls.ca`, every connection must present a client
   * certificate that CA signed (mutual TLS), for every route.
   */
  async listen(port = 0, host = '127.0.0.1', tls?: { cert: string; key: string; ca?: string }): Promise<string> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => void this.handle(req, res);
    const server = tls ? https.createServer({ cert: tls.cert, key: tls.key, ...(tls.ca ? { ca: tls.ca, requestCert: true, rejectUnauthorized: true } : {}) }, handler) : http.createServer(handler);
    server.keepAliveTimeout = 30_000;
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    this.server = server;
    const addr = server.address() as AddressInfo;
    this.url = `${tls ? 'https' : 'http'}://${host}:${addr.port}`;
    return this.url;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private match(method: string, path: string): { route: Route; params: Record<string, string> } | null {
    const parts = path.split('/');
    let wrongMethod: Route | null = null;
    for (const route of this.routes) {
      const params = matchParts(route.parts, parts);
      if (!params) continue;
      if (route.method === method) return { route, params };
      wrongMethod ??= route;
    }
    return wrongMethod ? { route: { ...wrongMethod, handler: () => ({ status: 405, body: '' }) }, params: {} } : null;
  }

  private takeFault(key: string, body: string): Fault | null {
    const list = this.faults.get(key);
    const i = list?.findIndex((f) => f.match === undefined || body.includes(f.match)) ?? -1;
    if (!list || i < 0) return null;
    const fault = list[i]!;
    if (fault.times !== undefined) {
      fault.times--;
      if (fault.times <= 0) list.splice(i, 1);
    }
    return fault;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      const body = await readBody(req);
      const early = this.preRoute?.(req.method ?? 'GET', url.pathname, url.search);
      if (early) {
        this.recorded.push({ route: '(pre-route)', method: req.method ?? 'GET', path: url.pathname + url.search, at: Date.now(), headers: req.headers, body: body.toString('utf8') });
        return send(res, early);
      }
      const found = this.match(req.method ?? 'GET', url.pathname);
      if (!found) return send(res, { status: 404, body: { message: `No route ${req.method} ${url.pathname}` } });
      const { route, params } = found;
      this.recorded.push({ route: route.key, method: req.method ?? 'GET', path: url.pathname + url.search, at: Date.now(), headers: req.headers, body: body.toString('utf8') });
      const flight = this.inFlight.get(route.key) ?? { now: 0, peak: 0 };
      this.inFlight.set(route.key, flight);
      flight.now++;
      flight.peak = Math.max(flight.peak, flight.now);
      // Counted out right before the answer is written (the client, maybe in another process, cannot
      // have it and ask again before that), or when the connection closes without an answer.
      let counted = true;
      const done = () => {
        if (counted) flight.now--;
        counted = false;
      };
      const writeHead = res.writeHead.bind(res);
      res.writeHead = ((...args: Parameters<typeof res.writeHead>) => {
        done();
        return writeHead(...args);
      }) as typeof res.writeHead;
      res.once('close', done);
      if (this.latencyMs > 0) await sleep(this.latencyMs);
      const fault = this.takeFault(route.key, body.toString('utf8'));
      if (fault?.latencyMs) await sleep(fault.latencyMs);
      if (fault?.drop) {
        req.socket.destroy();
        return;
      }
      if (fault?.hang) return; // the socket stays open until the client gives up or close() runs
      if (fault?.status !== undefined) {
        return send(res, { status: fault.status, headers: { 'content-type': 'text/plain', ...fault.headers }, body: fault.body ?? '' });
      }
      if (fault?.malformed) {
        return send(res, { status: 200, headers: { 'content-type': 'application/json' }, body: '{"data": {"accessGroup": {"guid": "f451' });
      }
      const request = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, params, headers: req.headers, body };
      const refused = this.guard?.(request, route.key);
      const out = refused ?? (await route.handler(request));
      if (fault?.trickleBytesPerSecond) return trickle(res, out, fault.trickleBytesPerSecond);
      send(res, out);
    } catch (err) {
      if (!res.headersSent) send(res, { status: 500, body: { message: `sandbox ${this.name} failed: ${(err as Error).message}` } });
      else res.destroy();
    }
  }
}

/** Path parameters when `parts` fits the route's pattern, else null. */
function matchParts(pattern: string[], parts: string[]): Record<string, string> | null {
  if (pattern.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const want = pattern[i]!;
    const got = parts[i]!;
    if (want.startsWith(':')) {
      if (!got) return null;
      params[want.slice(1)] = decodeURIComponent(got);
    } else if (want !== got) return null;
  }
  return params;
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Sends a buffered answer a little at a time: headers at once, then the body in 10 chunks a second. */
async function trickle(res: http.ServerResponse, out: SandboxResponse, bytesPerSecond: number): Promise<void> {
  const payload = Buffer.from(typeof out.body === 'string' || Buffer.isBuffer(out.body) ? out.body : JSON.stringify(out.body ?? ''));
  res.writeHead(out.status, { 'content-type': 'application/json', ...out.headers, 'content-length': String(payload.length) });
  const step = Math.max(1, Math.floor(bytesPerSecond / 10));
  for (let at = 0; at < payload.length && !res.destroyed; at += step) {
    res.write(payload.subarray(at, at + step));
    await sleep(100);
  }
  res.end();
}

function send(res: http.ServerResponse, out: SandboxResponse): void {
  const headers = { ...out.headers };
  const body = out.body;
  if (body instanceof Readable) {
    res.writeHead(out.status, headers);
    body.pipe(res);
    return;
  }
  let payload: string | Buffer;
  if (body === undefined || body === null) payload = '';
  else if (typeof body === 'string' || Buffer.isBuffer(body)) payload = body;
  else {
    payload = JSON.stringify(body);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  headers['content-length'] = String(Buffer.byteLength(payload));
  res.writeHead(out.status, headers);
  res.end(payload);
}
