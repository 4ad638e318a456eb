import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/types.js';
import type { Upstreams } from '../upstreams/registry.js';
import { UpstreamError } from '../http/errors.js';

interface Check {
  name: string;
  source: string;
  ok: boolean;
  detail: string;
}

/**
 * /healthz: the process answers. /readyz: the store and every configured upstream connection answer
 * (each Informat access group gets a token and a tiny query). Results are cached briefly so a
 * load balancer polling every second does not turn into upstream traffic.
 */
export function registerHealth(app: FastifyInstance, deps: { upstreams: Upstreams; store: Store; cacheMs?: number }): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  let cached: { at: number; body: { ready: boolean; checks: Check[] } } | null = null;
  const cacheMs = deps.cacheMs ?? 5000;

  app.get('/readyz', async (_req, reply) => {
    if (!cached || Date.now() - cached.at > cacheMs) {
      const checks: Promise<Check>[] = [
        deps.store.ping().then(
          () => ({ name: deps.store.kind, source: 'STORE', ok: true, detail: 'ok' }),
          (err: Error) => ({ name: deps.store.kind, source: 'STORE', ok: false, detail: err.message }),
        ),
      ];
      const informat = deps.upstreams.informat;
      for (const ag of informat?.connections ?? []) {
        checks.push(
          informat!.client.ping(ag).then(
            () => ({ name: ag, source: 'INFORMAT', ok: true, detail: 'ok' }),
            (err: unknown) => ({ name: ag, source: 'INFORMAT', ok: false, detail: err instanceof UpstreamError ? `${err.code}: ${err.message}` : String(err) }),
          ),
        );
      }
      const results = await Promise.all(checks);
      cached = { at: Date.now(), body: { ready: results.every((c) => c.ok), checks: results } };
    }
    return reply.code(cached.body.ready ? 200 : 503).send(cached.body);
  });
}
