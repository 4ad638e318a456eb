import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_ACCESS_GROUP, startInformatSandbox, type InformatSandbox } from '../../src/sandbox/informat/index.js';
import { gatewayEnvFor } from '../helpers/gatewayEnv.js';
import { spawnGateway } from '../helpers/gatewayProcess.js';

/**
 * OpenTelemetry and request ids in a gateway process of its own (a tracer provider is global to a
 * process): spans exported over OTLP/HTTP to a collector stand-in, the trace passed on to the
 * upstream, and the request id in the log lines of its request.
 */

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
}

const AG = SAMPLE_ACCESS_GROUP.identifier;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

let collector: Server;
let collectorUrl: string;
const spans: Span[] = [];
let informat: InformatSandbox;
let gateway: Awaited<ReturnType<typeof spawnGateway>>;

beforeAll(async () => {
  collector = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const data = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: Span[] }[] }[] };
      for (const r of data.resourceSpans) for (const s of r.scopeSpans) spans.push(...s.spans);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
  collectorUrl = `http://127.0.0.1:${(collector.address() as { port: number }).port}`;
  informat = await startInformatSandbox({ invoicesPerGroup: 10 });
  gateway = await spawnGateway({
    ...(await gatewayEnvFor({ INFORMAT: informat })),
    INFORMAT_ACCESS_GROUPS: AG,
    OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl,
    OTEL_BSP_SCHEDULE_DELAY: '100',
    LOG_LEVEL: 'debug',
    DATA_DIR: `/tmp/gateway-tracing-${process.pid}`,
  });
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await informat?.close();
  collector?.close();
});

async function waitFor<T>(fn: () => T | undefined, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('OpenTelemetry traces', () => {
  it("continues the caller's trace: operation, resolver and upstream request spans nest, and the upstream gets the trace", async () => {
    informat.api.resetCalls();
    const res = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01` },
      body: JSON.stringify({ query: `query TracedInvoices { invoices(filter: { source: INFORMAT, accessGroup: "${AG}", schoolYear: "2020-21" }, first: 3) { edges { node { id } } } }` }),
    });
    expect(((await res.json()) as any).errors).toBeUndefined();

    const operation = await waitFor(() => spans.find((s) => s.name === 'query TracedInvoices'));
    const resolver = await waitFor(() => spans.find((s) => s.name === 'Query.invoices' && s.traceId === TRACE_ID));
    const upstream = await waitFor(() => spans.find((s) => s.name === 'POST INFORMAT' && s.traceId === TRACE_ID));
    expect(operation.traceId).toBe(TRACE_ID);
    expect(operation.parentSpanId).toBe(CALLER_SPAN);
    expect(resolver.parentSpanId).toBe(operation.spanId);
    expect(upstream.parentSpanId).toBe(resolver.spanId);

    // The upstream request carried the trace, with the upstream span as its parent.
    const sent = informat.api.calls('POST /graphql').map((c) => String(c.headers.traceparent ?? ''));
    expect(sent).toContain(`00-${TRACE_ID}-${upstream.spanId}-01`);
  });
});

describe('request ids in the logs', () => {
  it("writes the request's id in the log lines of that request, its upstream failure included", async () => {
    informat.api.inject('POST /graphql', { status: 503, body: 'maintenance' });
    try {
      const res = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'trace-me-123' },
        body: JSON.stringify({ query: `{ invoices(filter: { source: INFORMAT, accessGroup: "${AG}", schoolYear: "2021-22" }, first: 1) { edges { node { id } } } }` }),
      });
      const body = (await res.json()) as any;
      expect(body.errors[0].extensions).toMatchObject({ source: 'INFORMAT', requestId: 'trace-me-123' });
    } finally {
      informat.api.clearFaults();
    }
    const lines = await waitFor(() => {
      const mine = gateway
        .output()
        .split('\n')
        .filter((l) => l.includes('trace-me-123'));
      return mine.some((l) => l.includes('upstream error answered to a caller')) ? mine : undefined;
    });
    for (const l of lines) expect(JSON.parse(l).requestId, l).toBe("trace-me-123");
    expect(lines.length).toBeGreaterThanOrEqual(2);
  });
});
