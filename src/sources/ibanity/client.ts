import type { z } from 'zod';
import { BufferedBody, expectOk, fromStatus, UpstreamError, parseWire as checkWire, readText, readWire, type AuthProvider, type TokenCache, type Transport, type UpstreamResponse } from '../../http/index.js';
import { listOf, oneOf, WireBusinessStatus, WireCustomerSearch, WireErrors, WireInbound, WireJwks, WireOutbound, WireRegistration, WireSupplier, type WireError } from './wire.js';

export const SOURCE = 'IBANITY';

const JSON_API = 'application/vnd.api+json';
/** Ibanity's largest page. */
export const MAX_PAGE = 2000;
/** The most items one list reads (five full pages). */
export const LIST_LIMIT = 10_000;

export interface IbanityClientOptions {
  transport: Transport;
  tokens: TokenCache;
  clientId: string;
  clientSecret: string;
}

/** Ibanity's bodies through the shared wire check. */
export const parseWire = <S extends z.ZodType>(schema: S, value: unknown, route: string): z.infer<S> => checkWire(SOURCE, schema, value, route);

/** A refusal Ibanity explained (`errors[]`), for the caller to turn into userErrors. */
export type Refusal = { ok: false; status: number; errors: WireError[] };

/** A 4xx that Ibanity explains and a retry would not change (not auth, timeout or rate limit). */
const isRefusal = (status: number) => status >= 400 && status < 500 && status !== 401 && status !== 408 && status !== 429;

async function refusalOf(res: UpstreamResponse, route: string): Promise<Refusal> {
  const text = await readText(res, SOURCE, route);
  try {
    const parsed = WireErrors.safeParse(JSON.parse(text));
    if (parsed.success) return { ok: false, status: res.status, errors: parsed.data.errors };
  } catch {
    // not JSON: reported below with the status
  }
  return { ok: false, status: res.status, errors: [{ code: null, detail: text.slice(0, 300) || `HTTP ${res.status}` }] };
}

/**
 * The Ibanity e-invoicing client: every call over the application's mTLS transport with a 300 s
 * client-credentials token (HTTP Basic at the token endpoint, no scope), JSON:API bodies with the
 * `data` envelope, raw UBL for documents.
 */
export function createIbanityClient(opts: IbanityClientOptions) {
  const auth: AuthProvider = opts.tokens.provider({ tokenOrigin: opts.transport.baseUrl, tokenPath: '/einvoicing/oauth2/token', clientId: opts.clientId, clientSecret: opts.clientSecret, scope: '', clientAuth: 'basic' });
  const t = opts.transport;

  const get = async <S extends z.ZodType>(path: string, route: string, schema: S): Promise<z.infer<S>> =>
    readWire(SOURCE, schema, await t.send({ method: 'GET', path, route, idempotent: true, auth, headers: { accept: JSON_API } }), route);

  /** A JSON:API write; 4xx answers with `errors[]` come back as a Refusal, anything else throws. */
  const write = async <S extends z.ZodType>(method: 'POST' | 'PATCH' | 'DELETE', path: string, route: string, schema: S, body: unknown, idempotent: boolean, read = false): Promise<{ ok: true; value: z.infer<S> } | Refusal> => {
    const res = await t.send({ method, path, route, idempotent, read, auth, headers: { accept: JSON_API, ...(body === undefined ? {} : { 'content-type': JSON_API }) }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (isRefusal(res.status)) return refusalOf(res, route);
    return { ok: true, value: await readWire(SOURCE, schema, res, route) };
  };

  /**
   * Every page of a list, `page[size]` MAX_PAGE. Ibanity says how many there are
   * (`meta.paging.total`, the blog post's list) and may serve fewer per page than asked (LINO-UTILS
   * saw 20): pages are read until the total is reached, and a short page ends the list only when no
   * total is given. A list longer than `limit` is refused, never cut short silently.
   */
  async function all<S extends z.ZodType>(path: string, route: string, item: S, params: Record<string, string> = {}, limit = LIST_LIMIT): Promise<z.infer<S>[]> {
    const out: z.infer<S>[] = [];
    for (let number = 0; ; number++) {
      const q = new URLSearchParams({ ...params, 'page[number]': String(number), 'page[size]': String(MAX_PAGE) });
      const page = await get(`${path}?${q}`, route, listOf(item));
      out.push(...(page.data as z.infer<S>[]));
      const total = page.meta?.paging?.total;
      if ((total ?? out.length) > limit) throw new UpstreamError(`Ibanity lists ${total ?? `more than ${limit}`} items for this request (${route}), more than the ${limit} the gateway reads at once: narrow the filter`, { code: 'REQUEST_LIMIT_EXCEEDED', source: SOURCE, route, local: true });
      if (page.data.length === 0 || (total === undefined ? page.data.length < MAX_PAGE : out.length >= total)) return out;
    }
  }

  const docPath = (kind: 'invoice' | 'credit-note') => (kind === 'invoice' ? 'invoices' : 'credit-notes');

  return {
    source: SOURCE,

    suppliers: () => all('/einvoicing/suppliers', 'GET /einvoicing/suppliers', WireSupplier),

    supplier: async (id: string) => (await get(`/einvoicing/suppliers/${encodeURIComponent(id)}`, 'GET /einvoicing/suppliers/{id}', oneOf(WireSupplier))).data,

    createSupplier: (attributes: Record<string, unknown>) => write('POST', '/einvoicing/suppliers', 'POST /einvoicing/suppliers', oneOf(WireSupplier), { data: { type: 'supplier', attributes } }, false),

    /** PATCH with only the attributes that change; `names`/`ibans` are whole lists (kept entries with their id). */
    updateSupplier: (id: string, attributes: Record<string, unknown>) => write('PATCH', `/einvoicing/suppliers/${encodeURIComponent(id)}`, 'PATCH /einvoicing/suppliers/{id}', oneOf(WireSupplier), { data: { id, type: 'supplier', attributes } }, true),

    /**
     * DELETE offboards the supplier (the record stays, OFFBOARDED). Ibanity does not document the
     * answer: the record (200) or 204 without a body are both read, the latter as null.
     */
    async offboardSupplier(id: string): Promise<{ ok: true; value: { data: WireSupplier } | null } | Refusal> {
      const route = 'DELETE /einvoicing/suppliers/{id}';
      const res = await t.send({ method: 'DELETE', path: `/einvoicing/suppliers/${encodeURIComponent(id)}`, route, idempotent: true, auth, headers: { accept: JSON_API } });
      if (isRefusal(res.status)) return refusalOf(res, route);
      if (res.status === 204 || (res.status < 300 && res.body instanceof BufferedBody && res.body.bytes.length === 0)) {
        await res.body.dump();
        return { ok: true, value: null };
      }
      return { ok: true, value: await readWire(SOURCE, oneOf(WireSupplier), res, route) };
    },

    registrations: async (supplierId: string) => (await get(`/einvoicing/peppol/suppliers/${encodeURIComponent(supplierId)}/registrations`, 'GET /einvoicing/peppol/suppliers/{id}/registrations', listOf(WireRegistration))).data,

    /** One customer search; null when Ibanity does not find the customer (404 customerNotFound). */
    async customerSearch(reference: string): Promise<z.infer<typeof WireCustomerSearch> | null> {
      const route = 'POST /einvoicing/peppol/customer-searches';
      // A search changes nothing: safe to retry, and identical ones in one operation share one answer.
      const r = await write('POST', '/einvoicing/peppol/customer-searches', route, oneOf(WireCustomerSearch), { data: { type: 'peppolCustomerSearch', attributes: { customerReference: reference } } }, true, true);
      if (r.ok) return r.value.data;
      if (r.status === 404) return null;
      throw fromStatus(r.status, SOURCE, route, r.errors.map((e) => `${e.code ?? ''} ${e.detail ?? ''}`.trim()).join('; '));
    },

    /**
     * Sends raw UBL for a supplier. Never repeated by the transport: Ibanity takes no idempotency key
     * here, so a second POST would be a second document.
     */
    async send(supplierId: string, kind: 'invoice' | 'credit-note', xml: string, filename: string): Promise<{ ok: true; value: z.infer<typeof WireOutbound> } | Refusal> {
      const route = `POST /einvoicing/peppol/suppliers/{id}/${docPath(kind)}`;
      const res = await t.send({
        method: 'POST', path: `/einvoicing/peppol/suppliers/${encodeURIComponent(supplierId)}/${docPath(kind)}`, route, idempotent: false, auth,
        headers: { accept: JSON_API, 'content-type': 'application/xml', 'content-disposition': `inline; filename="${filename.replace(/["\\\r\n]/g, '_')}"` },
        body: Buffer.from(xml, 'utf8'),
      });
      if (res.status >= 400 && res.status < 500 && res.status !== 401 && res.status !== 429) return refusalOf(res, route);
      return { ok: true, value: (await readWire(SOURCE, oneOf(WireOutbound), res, route)).data };
    },

    outbound: async (supplierId: string, kind: 'invoice' | 'credit-note', id: string) => {
      const route = `GET /einvoicing/peppol/suppliers/{id}/${docPath(kind)}/{documentId}`;
      const res = await t.send({ method: 'GET', path: `/einvoicing/peppol/suppliers/${encodeURIComponent(supplierId)}/${docPath(kind)}/${encodeURIComponent(id)}`, route, idempotent: true, auth, headers: { accept: JSON_API } });
      if (res.status === 404) {
        await res.body.dump();
        return null;
      }
      return (await readWire(SOURCE, oneOf(WireOutbound), res, route)).data;
    },

    /** Outbound documents whose status changed in one window (see window.ts), in Ibanity's order. */
    outboundList: (params: { fromStatusChanged: string; toStatusChanged: string; supplierId: string }) =>
      all('/einvoicing/peppol/documents', 'GET /einvoicing/peppol/documents', WireOutbound, { ...params }),

    /** Inbound documents created since then, in whatever order Ibanity lists them (it does not say). */
    inboundList: (params: { fromCreatedAt: string; supplierId: string }) =>
      all('/einvoicing/peppol/inbound-documents', 'GET /einvoicing/peppol/inbound-documents', WireInbound, { ...params }),

    inbound: async (id: string) => {
      const route = 'GET /einvoicing/peppol/inbound-documents/{id}';
      const res = await t.send({ method: 'GET', path: `/einvoicing/peppol/inbound-documents/${encodeURIComponent(id)}`, route, idempotent: true, auth, headers: { accept: JSON_API } });
      if (res.status === 404) {
        await res.body.dump();
        return null;
      }
      return (await readWire(SOURCE, oneOf(WireInbound), res, route)).data;
    },

    /** The inbound document's UBL (same path, `Accept: application/xml`). */
    async inboundXml(id: string): Promise<string> {
      const route = 'GET /einvoicing/peppol/inbound-documents/{id} (xml)';
      const res = await t.send({ method: 'GET', path: `/einvoicing/peppol/inbound-documents/${encodeURIComponent(id)}`, route, idempotent: true, auth, headers: { accept: 'application/xml' } });
      await expectOk(res, SOURCE, route);
      return readText(res, SOURCE, route);
    },

    businessStatuses: async (id: string) => (await get(`/einvoicing/peppol/inbound-documents/${encodeURIComponent(id)}/business-statuses`, 'GET /einvoicing/peppol/inbound-documents/{id}/business-statuses', listOf(WireBusinessStatus))).data,

    postBusinessStatus: (id: string, code: 'acknowledged' | 'accepted' | 'rejected') =>
      write('POST', `/einvoicing/peppol/inbound-documents/${encodeURIComponent(id)}/business-statuses`, 'POST /einvoicing/peppol/inbound-documents/{id}/business-statuses', oneOf(WireBusinessStatus), { data: { type: 'peppolInboundDocumentBusinessStatus', attributes: { code } } }, false),

    /** The keys webhook signatures are made with. */
    async webhookKeys() {
      const route = 'GET /webhooks/keys';
      const res = await t.send({ method: 'GET', path: '/webhooks/keys', route, idempotent: true, headers: { accept: 'application/json' } });
      return readWire(SOURCE, WireJwks, res, route);
    },

    /** Proves the certificate, the credentials and (when given) the supplier (used by /readyz). */
    async ping(supplierId: string | null): Promise<void> {
      if (supplierId) await get(`/einvoicing/suppliers/${encodeURIComponent(supplierId)}`, 'GET /einvoicing/suppliers/{id}', oneOf(WireSupplier));
      else await get('/einvoicing/suppliers?page[number]=0&page[size]=1', 'GET /einvoicing/suppliers', listOf(WireSupplier));
    },
  };
}

export type IbanityClient = ReturnType<typeof createIbanityClient>;
