import type { SandboxRequest, SandboxResponse } from '../../server.js';
import { largePdf } from '../files.js';
import type { FeedEntry } from '../seed.js';
import { CONTENT_TYPES, detail, type CodaboxState, type User } from '../state.js';

/** The pod-client, its feeds and their offsets, and file downloads. */
export function registerDeliveryRoutes(state: CodaboxState): void {
  const { server, data, user } = state;
  server.route('GET /delivery/pod-client/', (req) => {
    const u = user(req);
    return {
      status: 200,
      body: { id: u.kind === 'fiduciary' ? 9 : 10, fetch_delay: 120, allowed_formats: u.allowedFormats, feed_clients: u.feedClients.map((id) => data.feedClients.get(id)) },
    };
  });

  const entryJson = (e: FeedEntry) => ({ feed_index: e.feed_index, document_model: e.document_model, metadata: e.metadata });
  const visible = (u: User, e: FeedEntry) => (u.allowedFormats[e.document_model] ?? []).length > 0;

  for (const [path, kind] of [['feed', 'download'], ['redownload-feed', 'redownload']] as const) {
    const feedOf = (req: SandboxRequest): { id: number; entries: FeedEntry[] } | SandboxResponse => {
      const id = Number(req.params.id);
      if (!user(req).feedClients.includes(id) || !data.feeds.has(id)) return detail(404, 'Not found.');
      return { id, entries: data.feeds.get(id)![kind] };
    };
    server.route(`GET /delivery/${path}/:id/`, (req) => {
      const f = feedOf(req);
      if (!('entries' in f)) return f;
      return { status: 200, body: { id: f.id, type: kind, feed_entries: f.entries.filter((e) => visible(user(req), e)).map(entryJson) } };
    });
    server.route(`PUT /delivery/${path}/:id/`, (req) => {
      const f = feedOf(req);
      if (!('entries' in f)) return f;
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(req.body.toString('utf8') || '{}');
      } catch {
        return detail(400, 'JSON parse error');
      }
      if (!('feed_offset' in body)) return { status: 400, body: { feed_offset: ['This field is required.'] } };
      if (body.feed_offset === null) return { status: 400, body: { feed_offset: ['This field may not be null.'] } };
      const at = f.entries.findIndex((e) => e.feed_index === body.feed_offset);
      if (at < 0) return { status: 400, body: { feed_offset: ["Offset should be part of the feed's feed entries"] } };
      // Entries up to and including the offset are gone from the next feed request on.
      f.entries.splice(0, at + 1);
      return { status: 200, body: { id: f.id, feed_offset: body.feed_offset } };
    });
  }

  for (const kind of ['download', 'redownload'] as const) {
    server.route(`GET /delivery/${kind}/:index/:format/`, (req) => {
      const u = user(req);
      const format = req.params.format!;
      for (const [clientId, feed] of data.feeds) {
        const e = feed[kind].find((x) => x.feed_index === req.params.index);
        if (!e) continue;
        if (!u.feedClients.includes(clientId)) return detail(403, 'The current user is not allowed to access this file');
        if (!(u.allowedFormats[e.document_model] ?? []).includes(format)) return detail(403, `Format "${format}" not allowed`);
        if (format === 'pdf' && e.largePdfBytes) {
          return { status: 200, headers: { 'content-type': 'application/pdf', 'content-length': String(e.largePdfBytes) }, body: largePdf(e.largePdfBytes) };
        }
        const make = e.files[format as 'cod' | 'pdf' | 'xml'];
        if (!make) return detail(404, 'Not found.');
        const bytes = make();
        return { status: 200, headers: { 'content-type': CONTENT_TYPES[format] ?? 'application/octet-stream', 'content-length': String(bytes.length) }, body: bytes };
      }
      return detail(404, 'Not found.');
    });
  }

}
