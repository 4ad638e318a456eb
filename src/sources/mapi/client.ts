import { z } from 'zod';
import type { DocumentTypeName, SourceCapability } from '../../domain/models.js';
import { expectOk, parseWire as checkWire, readJson, readText, readWire, type Transport, type UpstreamResponse } from '../../http/index.js';
import { toInvoiceFromMetadata, toMessage, toSourceCapability, toMapiType, TRANSACTION_GROUP } from './map.js';
import { WireBatchEntry, WireInvoiceMetadata, WireMessage, WireParty, WireTrace, WireUnprocessable, WireValidationEntry } from './wire.js';
import type { InvoiceModel, MessageModel } from '../../domain/models.js';
import { stringifyWithDecimals } from '../../domain/decimalJson.js';

export const SOURCE = 'MAPI';
/** MAPI answers at most this many identifiers per batch capability query. */
export const BATCH_LIMIT = 120;

export interface MapiClientOptions {
  /** Connection name, part of the global IDs the client makes. */
  connection: string;
  transport: Transport;
  username: string;
  password: string;
  /** The batch capability path is inferred from the document, not confirmed (upstream-specs/mapi.md §6). */
  batchCapabilitiesPath: string;
  now?: () => number;
}

const parseWire = <S extends z.ZodType>(schema: S, value: unknown, route: string): z.infer<S> => checkWire(SOURCE, schema, value, route);
const read = <S extends z.ZodType>(schema: S, res: UpstreamResponse, route: string): Promise<z.infer<S>> => readWire(SOURCE, schema, res, route);

/** MAPI client: paths, HTTP Basic, wire validation and mapping; no GraphQL types. */
export function createMapiClient(opts: MapiClientOptions) {
  const basic = { username: opts.username, password: opts.password };
  const now = opts.now ?? Date.now;
  const headers = { accept: 'application/json' };

  /** GET a resource; null when MAPI answers 404. */
  async function getOrNull<S extends z.ZodType>(path: string, route: string, schema: S): Promise<z.infer<S> | null> {
    const res = await opts.transport.send({ basic,  method: 'GET', path, route, idempotent: true, headers });
    if (res.status === 404) {
      await res.body.dump();
      return null;
    }
    return read(schema, res, route);
  }

  const get = async <S extends z.ZodType>(path: string, route: string, schema: S): Promise<z.infer<S>> =>
    read(schema, await opts.transport.send({ basic,  method: 'GET', path, route, idempotent: true, headers }), route);

  return {
    source: SOURCE,

    /**
     * What parties of one identifier scheme can receive, for one document type: one batch call for
     * at most BATCH_LIMIT identifiers. Answers are keyed `scheme:VALUE`.
     */
    async capabilities(scheme: string, values: readonly string[], documentType: DocumentTypeName): Promise<Map<string, SourceCapability>> {
      if (values.length === 0) return new Map();
      if (values.length > BATCH_LIMIT) throw new RangeError(`at most ${BATCH_LIMIT} identifiers per MAPI batch, got ${values.length}`);
      const route = `POST ${opts.batchCapabilitiesPath}`;
      const query = new URLSearchParams({ action: TRANSACTION_GROUP[documentType], idType: toMapiType(scheme) });
      const res = await opts.transport.send({ basic, 
        method: 'POST',
        path: `${opts.batchCapabilitiesPath}?${query}`,
        route,
        // A lookup changes nothing: safe to send again.
        idempotent: true,
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(values),
      });
      const entries = await read(z.array(WireBatchEntry), res, route);
      const checkedAt = new Date(now()).toISOString();
      return new Map(entries.map((e) => toSourceCapability(documentType, e, checkedAt)).map((x) => [x.key, x.answer]));
    },

    /** One page of GET /messages with MAPI's own filter names; newest first. */
    async listMessages(filter: Record<string, string>, offset: number, limit: number): Promise<(MessageModel & { timeReceived: string })[]> {
      const route = 'GET /messages';
      const query = new URLSearchParams({ ...filter, Offset: String(offset), Limit: String(limit) });
      return (await get(`/messages?${query}`, route, z.array(WireMessage))).map((w) => ({ ...toMessage(opts.connection, w), timeReceived: w.timeReceived }));
    },

    /** One message (this user's copy); null when MAPI has none. */
    async message(uniqueId: string): Promise<MessageModel | null> {
      const route = 'GET /messages/{id}';
      const wire = await getOrNull(`/messages/${encodeURIComponent(uniqueId)}`, route, WireMessage);
      return wire ? toMessage(opts.connection, wire) : null;
    },

    traces: (uniqueId: string) => get(`/messages/${encodeURIComponent(uniqueId)}/traces`, 'GET /messages/{id}/traces', z.array(WireTrace)),

    validationEntries: (uniqueId: string) => get(`/messages/${encodeURIComponent(uniqueId)}/validation-entries`, 'GET /messages/{id}/validation-entries', z.array(WireValidationEntry)),

    /** Starts a document download; the caller streams the body. */
    document(uniqueId: string, index: number): Promise<UpstreamResponse> {
      return opts.transport.send({ basic,  method: 'GET', path: `/messages/${encodeURIComponent(uniqueId)}/documents/${index}`, route: 'GET /messages/{id}/documents/{idx}', idempotent: true, stream: true, headers });
    },

    /**
     * mark-as-delivered / -failed / -processed. A refusal (422 guard, 404, 400) is returned with
     * MAPI's own message; transport failures are thrown.
     */
    async mark(uniqueId: string, action: 'mark-as-delivered' | 'mark-as-failed' | 'mark-as-processed', errorMessage?: string): Promise<{ ok: true } | { ok: false; status: number; message: string }> {
      const route = `POST /messages/{id}/${action}`;
      const query = errorMessage ? `?${new URLSearchParams({ errorMessage })}` : '';
      // Setting a status is not repeated blindly: a retry after a lost answer would hit the guard.
      const res = await opts.transport.send({ basic,  method: 'POST', path: `/messages/${encodeURIComponent(uniqueId)}/${action}${query}`, route, idempotent: false, headers });
      if (res.status >= 200 && res.status < 300) {
        await res.body.dump();
        return { ok: true };
      }
      if (res.status === 422 || res.status === 404 || res.status === 400) {
        const text = await readText(res, SOURCE, route);
        let message = text;
        try {
          const parsed = WireUnprocessable.safeParse(JSON.parse(text));
          if (parsed.success) message = parsed.data.message;
        } catch {
          // not JSON: keep the text
        }
        return { ok: false, status: res.status, message: message || `HTTP ${res.status}` };
      }
      await expectOk(res, SOURCE, route);
      return { ok: true };
    },

    /**
     * POST /transactions/* or create-business-transaction. Safe to send again: MAPI refuses a second
     * message with the same client-generated id, so the transport may retry. A refusal is returned.
     */
    async create(path: string, query: Record<string, string>, body: { json: unknown } | { xml: string }): Promise<{ ok: true; message: MessageModel } | { ok: false; status: number; message: string; fields: Record<string, string[]> }> {
      const route = `POST ${path}`;
      const res = await opts.transport.send({ basic, 
        method: 'POST',
        path: `${path}?${new URLSearchParams(query)}`,
        route,
        idempotent: true,
        headers: { ...headers, 'content-type': 'json' in body ? 'application/json' : 'application/octet-stream' },
        body: 'json' in body ? stringifyWithDecimals(body.json) : body.xml,
      });
      if (res.status >= 200 && res.status < 300) {
        return { ok: true, message: toMessage(opts.connection, parseWire(WireMessage, await readJson(res, SOURCE, route), route)) };
      }
      if (res.status === 400 || res.status === 422 || res.status === 415) {
        const json = await readJson(res, SOURCE, route).catch(() => null);
        const unprocessable = WireUnprocessable.safeParse(json);
        if (unprocessable.success) return { ok: false, status: res.status, message: unprocessable.data.message, fields: {} };
        const fields = z.record(z.string(), z.array(z.string())).safeParse(json);
        const list = fields.success ? fields.data : {};
        return { ok: false, status: res.status, message: Object.entries(list).map(([k, v]) => `${k}: ${v.join(' ')}`).join('; ') || `HTTP ${res.status}`, fields: list };
      }
      await expectOk(res, SOURCE, route);
      throw new Error('unreachable');
    },

    /**
     * The invoice a message carries, from the metadata it was created from (GET
     * /transactions/submit-invoice or correct-with-credit). Null when the message was not created
     * from metadata (MAPI answers 422).
     */
    async invoiceOf(m: MessageModel): Promise<InvoiceModel | null> {
      const credit = m.documentType === 'CREDIT_NOTE';
      const path = credit ? '/transactions/correct-with-credit' : '/transactions/submit-invoice';
      const route = `GET ${path}`;
      const res = await opts.transport.send({ basic,  method: 'GET', path: `${path}?${new URLSearchParams({ messageId: m.uniqueId })}`, route, idempotent: true, headers });
      if (res.status === 422 || res.status === 404) {
        await res.body.dump();
        return null;
      }
      const body = await read(z.object({ invoice: WireInvoiceMetadata.optional(), creditNote: WireInvoiceMetadata.optional() }), res, route);
      const meta = credit ? body.creditNote : body.invoice;
      return meta ? toInvoiceFromMetadata(opts.connection, m, meta) : null;
    },

    /** Proves MAPI answers these credentials (used by /readyz): the smallest message list. */
    async ping(): Promise<void> {
      await get('/messages?Offset=0&Limit=1', 'GET /messages', z.array(z.unknown()));
    },

    /** A party's name as MAPI knows it; null when MAPI does not know the party. */
    async party(iso6523: string): Promise<{ identifier: string; name: string | null } | null> {
      const route = 'GET /parties/{id}';
      const p = await getOrNull(`/parties/${encodeURIComponent(iso6523)}`, route, WireParty);
      return p ? { identifier: p.identifier, name: p.name ?? null } : null;
    },
  };
}

export type MapiClient = ReturnType<typeof createMapiClient>;
