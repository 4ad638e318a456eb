import { z } from 'zod';
import { expectOk, malformed, readJson, readText, type Transport, type UpstreamResponse } from '../../http/index.js';
import type { FeedKindName } from '../../domain/models.js';
import { FEED_KIND } from './map.js';
import { WireError, WireFeed, WirePodClient } from './wire.js';

export const SOURCE = 'CODABOX';

export interface CodaboxClientOptions {
  connection: string;
  transport: Transport;
  softwareKey: string;
  username: string;
  password: string;
}

export function parseWire<S extends z.ZodType>(schema: S, value: unknown, route: string, path = ''): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw malformed(SOURCE, route, `${[path, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)'}: ${issue.message}`);
}

/**
 * CodaBox client. Every path ends with `/`: CodaBox redirects others, and a redirected POST or PUT
 * can come back as a GET (the document's own warning), so the client never relies on redirects.
 */
export function createCodaboxClient(opts: CodaboxClientOptions) {
  const headers = {
    'x-software-company': opts.softwareKey,
    authorization: `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString('base64')}`,
    accept: 'application/json',
  };
  const get = async <S extends z.ZodType>(path: string, route: string, schema: S): Promise<z.infer<S>> => {
    const res = await opts.transport.send({ method: 'GET', path, route, idempotent: true, headers });
    await expectOk(res, SOURCE, route);
    return parseWire(schema, await readJson(res, SOURCE, route), route);
  };

  return {
    source: SOURCE,
    connection: opts.connection,

    podClient: () => get('/delivery/pod-client/', 'GET /delivery/pod-client/', WirePodClient),

    feed: (feedId: number, kind: FeedKindName) =>
      get(`/delivery/${kind === 'NEW' ? 'feed' : 'redownload-feed'}/${feedId}/`, `GET /delivery/${kind === 'NEW' ? 'feed' : 'redownload-feed'}/{id}/`, WireFeed),

    /** Moves the feed offset: entries up to and including `offset` leave the feed. A 400 is returned. */
    async acknowledge(feedId: number, kind: FeedKindName, offset: string): Promise<{ ok: true } | { ok: false; message: string }> {
      const path = `/delivery/${kind === 'NEW' ? 'feed' : 'redownload-feed'}/${feedId}/`;
      const route = `PUT /delivery/${kind === 'NEW' ? 'feed' : 'redownload-feed'}/{id}/`;
      // Moving the offset to the same entry twice has the effect of once.
      const res = await opts.transport.send({ method: 'PUT', path, route, idempotent: true, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ feed_offset: offset }) });
      if (res.status === 400) {
        const parsed = WireError.safeParse(JSON.parse(await readText(res, SOURCE, route) || '{}'));
        const message = !parsed.success ? 'CodaBox refused the offset.' : 'detail' in parsed.data ? String(parsed.data.detail) : Object.values(parsed.data).flat().join(' ');
        return { ok: false, message };
      }
      await expectOk(res, SOURCE, route);
      await res.body.dump();
      return { ok: true };
    },

    /** Starts a file download; the caller streams the body. */
    download(feedType: 'download' | 'redownload', feedIndex: string, format: string): Promise<UpstreamResponse> {
      return opts.transport.send({
        method: 'GET',
        path: `/delivery/${feedType}/${encodeURIComponent(feedIndex)}/${encodeURIComponent(format)}/`,
        route: `GET /delivery/${feedType}/{index}/{format}/`,
        idempotent: true,
        headers: { ...headers, accept: '*/*' },
      });
    },

    /** Reads a small file whole (a CODA+ statement to parse). */
    async fileText(feedType: 'download' | 'redownload', feedIndex: string, format: string): Promise<string> {
      const route = `GET /delivery/${feedType}/{index}/{format}/`;
      const res = await this.download(feedType, feedIndex, format);
      await expectOk(res, SOURCE, route);
      return readText(res, SOURCE, route);
    },
  };
}

export type CodaboxClient = ReturnType<typeof createCodaboxClient>;
export { FEED_KIND };
