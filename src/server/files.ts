import type { FastifyInstance } from 'fastify';
import { runtimesOf, type Upstreams } from '../sources/registry.js';
import { UpstreamError } from '../http/errors.js';
import type { DownloadRef } from '../domain/models.js';
import type { UrlSigner } from './signedUrls.js';

/** How to start the download of a signed file: asked of the source that handed it out; null when its connection is gone. */
const opener = (upstreams: Upstreams, ref: DownloadRef) => runtimesOf(upstreams).find((r) => r.source === ref.source)?.openFile(ref) ?? null;

/**
 * GET /files/:token streams an upstream file to the caller. The body is piped as it arrives, never
 * buffered, so a 25 MB PDF costs a few socket buffers of memory, not 25 MB.
 */
export function registerFiles(app: FastifyInstance, deps: { upstreams: Upstreams; signer: UrlSigner }): void {
  app.get<{ Params: { token: string } }>('/files/:token', async (req, reply) => {
    const check = deps.signer.verify(req.params.token);
    if (!check.ok) {
      return reply.code(403).send({ error: check.reason === 'expired' ? 'This download link has expired; ask the API for a new one.' : 'This download link is not valid.' });
    }
    const ref = check.ref;
    const start = opener(deps.upstreams, ref);
    if (!start) return reply.code(404).send({ error: 'The file is no longer offered by this gateway.' });
    let res;
    try {
      res = await start();
    } catch (err) {
      const code = err instanceof UpstreamError ? err.code : 'UPSTREAM_UNAVAILABLE';
      return reply.code(code === 'UPSTREAM_TIMEOUT' ? 504 : 502).send({ error: `${ref.source} could not deliver the file (${code}).` });
    }
    if (res.status === 400 || res.status === 404 || res.status === 422) {
      await res.body.dump();
      return reply.code(404).send({ error: `${ref.source} has no such file (any more).` });
    }
    if (res.status !== 200) {
      await res.body.dump();
      return reply.code(502).send({ error: `${ref.source} answered HTTP ${res.status}.` });
    }
    const length = res.headers['content-length'];
    if (typeof length === 'string') reply.header('content-length', length);
    return reply
      .type(ref.contentType)
      .header('content-disposition', `attachment; filename="${ref.name.replace(/["\\\r\n]/g, '_')}"`)
      .header('cache-control', 'private, no-store')
      .send(res.body);
  });
}
