import { createTransport, type Transport, type TransportOptions } from '../../src/http/index.js';
import { createMetrics } from '../../src/metrics.js';

/** A transport with short timeouts for tests, recorded in `opened` so the test can close them. */
export function testTransport(opened: Transport[], baseUrl: string, over: Partial<TransportOptions> = {}): Transport {
  const t = createTransport({
    source: 'TEST',
    baseUrl,
    timeouts: { connectMs: 500, headersMs: 300, bodyMs: 300 },
    retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 5 },
    breaker: { failureThreshold: 100, resetAfterMs: 1000 },
    maxConcurrency: 8,
    maxBodyBytes: 1024 * 1024,
    metrics: createMetrics({ defaultMetrics: false }),
    ...over,
  });
  opened.push(t);
  return t;
}
