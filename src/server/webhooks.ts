import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Once } from '../idempotency/once.js';
import type { Metrics } from '../metrics.js';
import { runtimesOf, type Upstreams } from '../sources/registry.js';

/** Largest webhook body read; events are small JSON:API documents. */
const MAX_WEBHOOK_BYTES = 256 * 1024;

/**
 * `POST /webhooks/<source>`: an upstream's events. The raw body is kept for the signature check (a
 * re-serialised body would not match its digest); anything that does not verify is 401 and changes
 * nothing. A verified event is handled once per event id across replicas (the idempotency ledger):
 * a repeated delivery is answered 200 without acting again.
 */
export function registerWebhooks(app: FastifyInstance, deps: { upstreams: Upstreams; once: Once; log: Logger; metrics: Metrics }): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_WEBHOOK_BYTES }, (_req, body, done) => done(null, body));
    scope.post<{ Params: { source: string } }>('/webhooks/:source', async (req, reply) => {
      const runtime = runtimesOf(deps.upstreams).find((r) => r.source.toLowerCase() === req.params.source.toLowerCase());
      if (!runtime?.webhooks) return reply.code(404).send({ error: `no webhooks are received for "${req.params.source}"` });
      const source = runtime.source;
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const verified = await runtime.webhooks.verify(req.headers, body);
      if (!verified.ok) {
        deps.metrics.webhookDeliveries.inc({ source, outcome: 'rejected' });
        deps.log.warn({ source, reason: verified.reason }, `${source} webhook rejected: ${verified.reason}`);
        return reply.code(401).send({ error: 'signature rejected' });
      }
      const handle = runtime.webhooks.handle.bind(runtime.webhooks);
      const result = await deps.once.run({ caller: `webhook:${source}`, operation: 'webhook', key: verified.id }, createHash('sha256').update(body).digest('hex'), async () => {
        await handle(verified.event);
        return { kind: 'done', value: { type: verified.type } };
      });
      const outcome = result.kind === 'fresh' ? 'processed' : 'duplicate';
      deps.metrics.webhookDeliveries.inc({ source, outcome });
      return reply.code(200).send({ status: outcome, event: verified.id });
    });
  });
}
