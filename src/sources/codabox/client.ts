import { z } from 'zod';
import { BufferedBody, expectOk, parseWire as checkWire, readJson, readText, readWire, type Transport, type UpstreamResponse } from '../../http/index.js';
import type { FeedKindName } from '../../domain/models.js';
import { FEED_KIND } from './map.js';
import { WireClient, WireError, WireFeed, WireFiduciary, WirePodClient, WireSearchClients } from './wire.js';

export const SOURCE = 'CODABOX';

const WINDOWS_1252 = new TextDecoder('windows-1252');

export interface CodaboxClientOptions {
  connection: string;
  transport: Transport;
  softwareKey: string;
  username: string;
  password: string;
}

/** CodaBox's bodies through the shared wire check. */
export const parseWire = <S extends z.ZodType>(schema: S, value: unknown, route: string, path = ''): z.infer<S> => checkWire(SOURCE, schema, value, route, path);

/** CodaBox's error body, `{"detail": "..."}` or field-keyed lists, as field -> messages. */
async function errorsOf(res: UpstreamResponse, route: string): Promise<Record<string, string[]>> {
  const text = await readText(res, SOURCE, route);
  try {
    const parsed = WireError.safeParse(JSON.parse(text));
    if (!parsed.success) return { detail: [text] };
    return 'detail' in parsed.data ? { detail: [String(parsed.data.detail)] } : (parsed.data as Record<string, string[]>);
  } catch {
    return { detail: [text || `HTTP ${res.status}`] };
  }
}

/** The feed's list: new entries, or the ones asked to be delivered again. */
const feedList = (kind: FeedKindName) => (kind === 'NEW' ? 'feed' : 'redownload-feed');

/** The route (metrics label, error context) of reading a feed. */
export const feedRoute = (kind: FeedKindName) => `GET /delivery/${feedList(kind)}/{id}/`;

/**
 * CodaBox client. Every path ends with `/`: CodaBox redirects others, and a redirected POST or PUT
 * can come back as a GET (the document's own warning), so the client never relies on redirects.
 */
export function createCodaboxClient(opts: CodaboxClientOptions) {
  const headers = { 'x-software-company': opts.softwareKey, accept: 'application/json' };
  const basic = { username: opts.username, password: opts.password };
  const get = async <S extends z.ZodType>(path: string, route: string, schema: S): Promise<z.infer<S>> => {
    const res = await opts.transport.send({ basic,  method: 'GET', path, route, idempotent: true, headers });
    return readWire(SOURCE, schema, res, route);
  };

  return {
    source: SOURCE,
    connection: opts.connection,

    podClient: () => get('/delivery/pod-client/', 'GET /delivery/pod-client/', WirePodClient),

    /** GET search/clients/ with CodaBox's own keys (search, enterprise_num, ordering, limit, offset). */
    searchClients: (params: Record<string, string>) => get(`/search/clients/?${new URLSearchParams(params)}`, 'GET /search/clients/', WireSearchClients),

    client: (id: string) => get(`/clients/${encodeURIComponent(id)}/`, 'GET /clients/{id}/', WireClient),

    fiduciaries: () => get('/fiduciaries/', 'GET /fiduciaries/', z.array(WireFiduciary)),

    feed: (feedId: number, kind: FeedKindName) => get(`/delivery/${feedList(kind)}/${feedId}/`, feedRoute(kind), WireFeed),

    /** Moves the feed offset: entries up to and including `offset` leave the feed. A 400 is returned. */
    async acknowledge(feedId: number, kind: FeedKindName, offset: string): Promise<{ ok: true } | { ok: false; message: string }> {
      const path = `/delivery/${feedList(kind)}/${feedId}/`;
      const route = `PUT /delivery/${feedList(kind)}/{id}/`;
      // Moving the offset to the same entry twice has the effect of once.
      const res = await opts.transport.send({ basic,  method: 'PUT', path, route, idempotent: true, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ feed_offset: offset }) });
      if (res.status === 400) return { ok: false, message: Object.values(await errorsOf(res, route)).flat().join(' ') };
      await expectOk(res, SOURCE, route);
      await res.body.dump();
      return { ok: true };
    },

    /**
     * POST ubl/sales-invoice/upload/ as multipart field `file`. Sent once: CodaBox refuses a second
     * upload of the same number and year, which after a lost answer would read as a refusal.
     */
    async uploadSalesInvoice(filename: string, xml: string): Promise<{ ok: true } | { ok: false; status: number; messages: string[] }> {
      const route = 'POST /ubl/sales-invoice/upload/';
      const boundary = `----gateway${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename.replace(/["\r\n]/g, '_')}"\r\nContent-Type: application/xml\r\n\r\n`),
        Buffer.from(xml, 'utf8'),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const res = await opts.transport.send({ basic,  method: 'POST', path: '/ubl/sales-invoice/upload/', route, idempotent: false, headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` }, body });
      if (res.status === 200 || res.status === 201) {
        await res.body.dump();
        return { ok: true };
      }
      if (res.status === 400 || res.status === 403) return { ok: false, status: res.status, messages: Object.values(await errorsOf(res, route)).flat() };
      await expectOk(res, SOURCE, route);
      return { ok: true };
    },

    /** Proves CodaBox answers this connection's key and credentials (used by /readyz). */
    async ping(): Promise<void> {
      await get('/delivery/pod-client/', 'GET /delivery/pod-client/', z.unknown());
    },

    /** The CodaBox clients this user sees (an invoicing-software user sees exactly one). */
    clients: () => get('/clients/', 'GET /clients/', z.array(WireClient)),

    /** Starts a file download; the caller streams the body (`whole`: read it whole, within the body limit). */
    download(feedType: 'download' | 'redownload', feedIndex: string, format: string, whole = false): Promise<UpstreamResponse> {
      return opts.transport.send({ basic, 
        method: 'GET',
        path: `/delivery/${feedType}/${encodeURIComponent(feedIndex)}/${encodeURIComponent(format)}/`,
        route: `GET /delivery/${feedType}/{index}/{format}/`,
        idempotent: true,
        stream: !whole,
        headers: { ...headers, accept: '*/*' },
      });
    },

    /**
     * Reads a small file whole (a statement to parse). CODA+ XML is UTF-8; a classic `.cod` file is
     * single-byte, read as windows-1252 as Odoo's CODA importers read it (`François`, not `Fran�ois`).
     */
    async fileText(feedType: 'download' | 'redownload', feedIndex: string, format: string): Promise<string> {
      const route = `GET /delivery/${feedType}/{index}/{format}/`;
      const res = await this.download(feedType, feedIndex, format, true);
      await expectOk(res, SOURCE, route);
      if (format !== 'cod') return readText(res, SOURCE, route);
      const bytes = res.body instanceof BufferedBody ? res.body.bytes : Buffer.from(await res.body.arrayBuffer());
      return WINDOWS_1252.decode(bytes);
    },
  };
}

export type CodaboxClient = ReturnType<typeof createCodaboxClient>;

export type AccessPurpose = 'GET_DOCUMENTS' | 'SALES_INVOICES';

/**
 * The calls that need no credentials: asking CodaBox to mail a token to a client, and claiming the
 * credentials a token stands for (once).
 */
export function createCodaboxOnboarding(transport: Transport, softwareKey: string) {
  const headers = { 'x-software-company': softwareKey, accept: 'application/json' };
  return {
    /** POST request-access-token/...: CodaBox mails a token to the client; the answer hints at the address. */
    async requestAccess(vat: string, purpose: AccessPurpose): Promise<{ ok: true; email: string | null } | { ok: false; status: number; errors: Record<string, string[]> }> {
      const path = purpose === 'SALES_INVOICES' ? '/request-access-token/invoicing-software/' : '/request-access-token/get-document-software/';
      const route = `POST ${path}`;
      // Not repeated on failure: each request mails a new token and voids the previous credentials.
      const res = await transport.send({ method: 'POST', path, route, idempotent: false, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ vat }) });
      if (res.status === 201 || res.status === 200) {
        const body = parseWire(z.object({ vat: z.string(), email: z.string().nullish() }), await readJson(res, SOURCE, route), route);
        return { ok: true, email: body.email ?? null };
      }
      if (res.status === 400 || res.status === 403) return { ok: false, status: res.status, errors: await errorsOf(res, route) };
      await expectOk(res, SOURCE, route);
      return { ok: true, email: null };
    },

    /** GET get-credentials/<TOKEN>/: works once per token. Null when the token is unknown or used. */
    async claim(token: string): Promise<{ username: string; password: string } | null> {
      const route = 'GET /get-credentials/{token}/';
      const res = await transport.send({ method: 'GET', path: `/get-credentials/${encodeURIComponent(token)}/`, route, idempotent: false, headers });
      if (res.status === 404 || res.status === 400) {
        await res.body.dump();
        return null;
      }
      return readWire(SOURCE, z.object({ username: z.string().min(1), password: z.string().min(1) }), res, route);
    },
  };
}

export type CodaboxOnboarding = ReturnType<typeof createCodaboxOnboarding>;
export { FEED_KIND };
