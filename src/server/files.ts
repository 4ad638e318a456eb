import type { FastifyInstance } from 'fastify';
import type { Upstreams } from '../upstreams/registry.js';
import { UpstreamError } from '../http/errors.js';
import type { UpstreamResponse } from '../http/types.js';
import type { DownloadRef } from '../domain/models.js';
import type { UrlSigner } from './signedUrls.js';

/** How to start the download of each kind of signed file; null when its connection is gone. */
function opener(upstreams: Upstreams, ref: DownloadRef): (() => Promise<UpstreamResponse>) | null {
  if (ref.kind === 'informat-pdf' && upstreams.informat?.connections.includes(ref.connection)) {
    const client = upstreams.informat.client;
    return () => client.downloadPdf(ref.connection, ref.ref);
  }
  if (ref.kind === 'mapi-document' && upstreams.mapi?.connections.includes(ref.connection)) {
    const client = upstreams.mapi.client;
    const [uniqueId, index] = ref.ref.split('/') as [string, string];
    return () => client.document(uniqueId, Number(index));
  }
  const codabox = upstreams.codabox?.clients.get(ref.connection);
  if (ref.kind === 'codabox-file' && codabox) {
    const client = codabox;
    const [feedType, feedIndex, format] = ref.ref.split('/') as ['download' | 'redownload', string, string];
    return () => client.download(feedType, feedIndex, format);
  }
  return null;
}

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
