import pino from 'pino';
import { createTransport, TokenCache, type RetryPolicy, type Transport } from '../../src/http/index.js';
import { createMetrics } from '../../src/metrics.js';
import { openSqliteStore } from '../../src/store/index.js';
import type { ConnectDeps } from '../../src/sources/types.js';

/** What the composition root lends a source, with short timeouts, no retries and a quick breaker. */
export function sourceDeps(source: string, transports: Transport[], opts: { retry?: RetryPolicy; store?: ConnectDeps['store'] } = {}): ConnectDeps {
  const metrics = createMetrics({ defaultMetrics: false });
  return {
    transport(baseUrl, o = {}) {
      const t = createTransport({
        source: o.label ?? source,
        baseUrl,
        tls: o.tls,
        timeouts: { connectMs: 500, headersMs: 400, bodyMs: 400 },
        retry: opts.retry ?? { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
        breaker: { failureThreshold: 3, resetAfterMs: 60_000 },
        maxConcurrency: 4,
        maxBodyBytes: 8 * 1024 * 1024,
        metrics,
      });
      transports.push(t);
      return t;
    },
    tokens: (identity) => new TokenCache(source, identity.send, { marginSeconds: 60, onRequest: () => {} }),
    store: opts.store ?? openSqliteStore(':memory:'),
    log: pino({ level: 'silent' }),
    credentialsKey: null,
    capabilities: { forget: () => {} },
  };
}

