import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/types.js';
import { runtimesOf, type Upstreams } from '../sources/registry.js';
import { UpstreamError } from '../http/errors.js';

interface Check {
  name: string;
  source: string;
  ok: boolean;
  detail: string;
}

/** One readiness probe per configured connection, each asking its upstream the cheapest real question. */
const pingers = (u: Upstreams) => runtimesOf(u).flatMap((r) => r.connections().map((c) => ({ name: c.name, source: r.source as string, ping: () => c.ping() })));

/**
 * /healthz: the process answers. /readyz: the store and every configured upstream connection answer
 * (each Informat access group gets a token and a tiny query; MAPI lists one message; each CodaBox
 * connection reads its pod-client). Results are cached briefly so a
 * load balancer polling every second does not turn into upstream traffic.
 */
export function registerHealth(app: FastifyInstance, deps: { upstreams: Upstreams; store: Store; cacheMs?: number; mayReadDetail: (headers: Record<string, string | string[] | undefined>) => Promise<boolean> }): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  let cached: { at: number; body: { ready: boolean; checks: Check[] } } | null = null;
  const cacheMs = deps.cacheMs ?? 5000;

  // Load balancers get the verdict; the checks (connection names, upstream errors) are operators' data.
  app.get('/readyz', async (req, reply) => {
    if (!cached || Date.now() - cached.at > cacheMs) {
      const checks: Promise<Check>[] = [
        deps.store.ping().then(
          () => ({ name: deps.store.kind, source: 'STORE', ok: true, detail: 'ok' }),
          (err: Error) => ({ name: deps.store.kind, source: 'STORE', ok: false, detail: err.message }),
        ),
      ];
      for (const c of pingers(deps.upstreams)) {
        checks.push(
          c.ping().then(
            () => ({ name: c.name, source: c.source, ok: true, detail: 'ok' }),
            (err: unknown) => ({ name: c.name, source: c.source, ok: false, detail: err instanceof UpstreamError ? `${err.code}: ${err.message}` : String(err) }),
          ),
        );
      }
      const results = await Promise.all(checks);
      cached = { at: Date.now(), body: { ready: results.every((c) => c.ok), checks: results } };
    }
    const detail = await deps.mayReadDetail(req.headers);
    return reply.code(cached.body.ready ? 200 : 503).send(detail ? cached.body : { ready: cached.body.ready });
  });
}
