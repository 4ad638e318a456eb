import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CircuitBreaker, createTransport, readJson, Semaphore, TokenCache, UpstreamError, backoffDelay, createBudget, perOperation, runInOperation, type Transport } from '../../../src/http/index.js';
import { createMetrics } from '../../../src/metrics.js';
import { testTransport } from '../../helpers/transport.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;
const servers: http.Server[] = [];
const transports: Transport[] = [];

async function serve(handler: Handler): Promise<{ url: string; hits: () => number }> {
  let n = 0;
  const server = http.createServer((req, res) => {
    n++;
    req.resume();
    req.on('end', () => handler(req, res, n));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => n };
}

const transport = (url: string, over: Partial<Parameters<typeof createTransport>[0]> = {}) => testTransport(transports, url, over);

afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.close()));
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

const get = { method: 'GET' as const, path: '/x', route: 'GET /x', idempotent: true };

describe('retries', () => {
  it('retries idempotent requests on 503 up to the limit', async () => {
    const s = await serve((_q, res) => res.writeHead(503).end());
    const res = await transport(s.url).send(get);
    expect(res.status).toBe(503);
    expect(s.hits()).toBe(3);
  });

  it('honours Retry-After within the cap and then succeeds', async () => {
    const s = await serve((_q, res, n) => (n === 1 ? res.writeHead(429, { 'retry-after': '0' }).end() : res.writeHead(200).end('{"ok":true}')));
    const res = await transport(s.url).send(get);
    expect(await readJson(res, 'TEST', 'GET /x')).toEqual({ ok: true });
    expect(s.hits()).toBe(2);
  });

  it('never sends a non-idempotent request twice', async () => {
    const s = await serve((_q, res) => res.writeHead(503).end());
    const res = await transport(s.url).send({ ...get, method: 'POST', idempotent: false });
    expect(res.status).toBe(503);
    expect(s.hits()).toBe(1);
  });

  it('does not follow redirects, so a redirected POST is never replayed as a GET', async () => {
    const methods: string[] = [];
    const s = await serve((q, res) => {
      methods.push(`${q.method} ${q.url}`);
      if (q.url === '/x') res.writeHead(301, { location: '/x/' }).end();
      else res.writeHead(200).end('{}');
    });
    const res = await transport(s.url).send({ ...get, method: 'POST', idempotent: false, body: '{}' });
    expect(res.status).toBe(301);
    expect(methods).toEqual(['POST /x']);
  });

  it('maps a header timeout to UPSTREAM_TIMEOUT and a refused connection to UPSTREAM_UNAVAILABLE', async () => {
    const s = await serve(() => {});
    await expect(transport(s.url, { retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 } }).send(get)).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT', source: 'TEST' });
    await expect(transport('http://127.0.0.1:1').send(get)).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
  });

  it('spreads backoff with full jitter and caps it', () => {
    const policy = { retries: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(policy, 0, () => 0.999)).toBe(99);
    expect(backoffDelay(policy, 6, () => 0.999)).toBe(999);
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
  });
});

describe('concurrency cap', () => {
  it('keeps at most maxConcurrency requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const s = await serve((_q, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(200).end();
      }, 20);
    });
    const t = transport(s.url, { maxConcurrency: 3 });
    await Promise.all(Array.from({ length: 12 }, async () => (await t.send(get)).body.dump()));
    expect(peak).toBe(3);
    expect(s.hits()).toBe(12);
  });
});

describe('fair queues', () => {
  it('hands freed slots to callers in turn, so a burst does not starve a single request', async () => {
    const sem = new Semaphore(1);
    const order: string[] = [];
    const first = await sem.acquire('burst');
    const waits = [
      ...Array.from({ length: 5 }, (_, i) => sem.acquire('burst').then((release) => (order.push(`burst${i}`), release()))),
      sem.acquire('calm').then((release) => (order.push('calm'), release())),
    ];
    first();
    await Promise.all(waits);
    expect(order.indexOf('calm')).toBe(1);
  });

  it('gives up a wait when the signal aborts, and the slot goes to the next waiter', async () => {
    const sem = new Semaphore(1);
    const held = await sem.acquire('a');
    const ac = new AbortController();
    const gone = sem.acquire('b', ac.signal, () => new Error('deadline'));
    const next = sem.acquire('c');
    ac.abort();
    await expect(gone).rejects.toThrow('deadline');
    held();
    (await next)();
    expect(sem.queued).toBe(0);
    expect(sem.inUse).toBe(0);
  });
});

describe('operation budget', () => {
  it('makes identical reads once, asks again after a write, and stops at the request cap', async () => {
    const { url, hits } = await serve((_req, res) => res.end('{"ok":true}'));
    const t = transport(url);
    const budget = createBudget({ caller: 'c', deadlineMs: 5000, maxRequests: 3 });
    await runInOperation(budget, async () => {
      const get = () => t.send({ method: 'GET', path: '/x', route: 'GET /x', idempotent: true }).then((r) => readJson(r, 'TEST', 'GET /x'));
      expect(await Promise.all([get(), get(), get()])).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
      expect(hits()).toBe(1);
      await t.send({ method: 'PUT', path: '/x', route: 'PUT /x', idempotent: true, body: '{}' }).then((r) => r.body.dump());
      await get();
      expect(hits()).toBe(3);
      await expect(t.send({ method: 'GET', path: '/y', route: 'GET /y', idempotent: true })).rejects.toMatchObject({ code: 'REQUEST_LIMIT_EXCEEDED' });
    });
    budget.dispose();
  });

  it('lets go of what it shared once the operation has answered, though the connection it opened lives on', async () => {
    const { url } = await serve((_req, res) => res.end('{"ok":true}'));
    const t = transport(url);
    const budget = createBudget({ caller: 'c', deadlineMs: 5000, maxRequests: 3 });
    await runInOperation(budget, async () => {
      await t.send({ method: 'GET', path: '/x', route: 'GET /x', idempotent: true }).then((r) => readJson(r, 'TEST', 'GET /x'));
      await perOperation('list', async () => ['kept for this operation']);
    });
    expect(budget.memo.size).toBe(1);
    expect(budget.values.size).toBe(1);
    budget.dispose();
    // The pooled connection keeps this budget as its async context; it must hold nothing of the answers.
    expect(budget.memo.size).toBe(0);
    expect(budget.values.size).toBe(0);
    // Work still running after the answer is not kept either.
    await runInOperation(budget, () => perOperation('late', async () => 1));
    expect(budget.values.size).toBe(0);
  });
});

describe('OAuth2 token cache', () => {
  it('fetches one token for concurrent callers and refreshes once after a 401', async () => {
    let issued = 0;
    const idp = await serve((req, res) => {
      issued++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: `t${issued}`, expires_in: 3600, token_type: 'Bearer' }));
    });
    const api = await serve((req, res) => res.writeHead(req.headers.authorization === 'Bearer t1' ? 401 : 200).end(req.headers.authorization));
    const metrics = createMetrics({ defaultMetrics: false });
    const cache = new TokenCache('TEST', transport(idp.url).send, { marginSeconds: 60, onRequest: (o) => metrics.tokenRequests.inc({ upstream: 'TEST', outcome: o }) });
    const auth = cache.provider({ tokenOrigin: idp.url, tokenPath: '/token', clientId: 'c', clientSecret: 's', scope: 'one' });
    const tokens = await Promise.all(Array.from({ length: 10 }, () => auth.token()));
    expect(new Set(tokens)).toEqual(new Set(['t1']));
    expect(issued).toBe(1);
    const res = await transport(api.url).send({ ...get, auth });
    expect(res.status).toBe(200);
    expect(await res.body.text()).toBe('Bearer t2');
    expect(issued).toBe(2);
    expect(api.hits()).toBe(2);
  });

  it('keys tokens by scope', async () => {
    let issued = 0;
    const idp = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: `t${++issued}`, expires_in: 60, token_type: 'Bearer' })));
    const cache = new TokenCache('TEST', transport(idp.url).send, { marginSeconds: 10, onRequest: () => {} });
    const a = cache.provider({ tokenOrigin: idp.url, tokenPath: '/token', clientId: 'c', clientSecret: 's', scope: 'a' });
    const b = cache.provider({ tokenOrigin: idp.url, tokenPath: '/token', clientId: 'c', clientSecret: 's', scope: 'b' });
    expect(await a.token()).not.toBe(await b.token());
    expect(await a.token()).toBe('t1');
    expect(issued).toBe(2);
  });

  it('reports a refused client without echoing the secret', async () => {
    const idp = await serve((_req, res) => res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}'));
    const cache = new TokenCache('TEST', transport(idp.url).send, { marginSeconds: 10, onRequest: () => {} });
    const auth = cache.provider({ tokenOrigin: idp.url, tokenPath: '/token', clientId: 'c', clientSecret: 'super-secret', scope: 'a' });
    const err = await auth.token().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).code).toBe('UPSTREAM_REJECTED');
    expect(String((err as Error).message)).not.toContain('super-secret');
  });
});

describe('circuit breaker', () => {
  it('opens at the threshold, admits one trial after the pause, and closes on success', () => {
    let now = 0;
    const states: string[] = [];
    const b = new CircuitBreaker('TEST', { failureThreshold: 2, resetAfterMs: 100 }, (s) => states.push(s), () => now);
    b.failure(b.admit('r'));
    b.failure(b.admit('r'));
    expect(b.state).toBe('open');
    expect(() => b.admit('r')).toThrow(UpstreamError);
    now = 150;
    expect(b.state).toBe('half-open');
    const trial = b.admit('r');
    expect(trial).toBe(true);
    expect(() => b.admit('r')).toThrow(/circuit open/);
    b.success(trial);
    expect(b.state).toBe('closed');
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });

  it('reopens when the trial fails', () => {
    let now = 0;
    const b = new CircuitBreaker('TEST', { failureThreshold: 1, resetAfterMs: 100 }, () => {}, () => now);
    b.failure(b.admit('r'));
    now = 200;
    b.failure(b.admit('r'));
    expect(b.state).toBe('open');
  });
});
