import { z } from 'zod';
import type { DocumentTypeName, SourceCapability } from '../../domain/models.js';
import { expectOk, malformed, readJson, type Transport } from '../../http/index.js';
import { toSourceCapability, toMapiType, TRANSACTION_GROUP } from './map.js';
import { WireBatchEntry, WireParty } from './wire.js';

export const SOURCE = 'MAPI';
/** MAPI answers at most this many identifiers per batch capability query. */
export const BATCH_LIMIT = 120;

export interface MapiClientOptions {
  transport: Transport;
  username: string;
  password: string;
  /** The batch capability path is inferred from the document, not confirmed (upstream-specs/mapi.md §6). */
  batchCapabilitiesPath: string;
  now?: () => number;
}

function parseWire<S extends z.ZodType>(schema: S, value: unknown, route: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw malformed(SOURCE, route, `${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

/** MAPI client: paths, HTTP Basic, wire validation and mapping; no GraphQL types. */
export function createMapiClient(opts: MapiClientOptions) {
  const authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString('base64')}`;
  const now = opts.now ?? Date.now;
  const headers = { authorization, accept: 'application/json' };

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
      const res = await opts.transport.send({
        method: 'POST',
        path: `${opts.batchCapabilitiesPath}?${query}`,
        route,
        // A lookup changes nothing: safe to send again.
        idempotent: true,
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(values),
      });
      await expectOk(res, SOURCE, route);
      const entries = parseWire(z.array(WireBatchEntry), await readJson(res, SOURCE, route), route);
      const checkedAt = new Date(now()).toISOString();
      return new Map(entries.map((e) => toSourceCapability(documentType, e, checkedAt)).map((x) => [x.key, x.answer]));
    },

    /** A party's name as MAPI knows it; null when MAPI does not know the party. */
    async party(iso6523: string): Promise<{ identifier: string; name: string | null } | null> {
      const route = 'GET /parties/{id}';
      const res = await opts.transport.send({ method: 'GET', path: `/parties/${encodeURIComponent(iso6523)}`, route, idempotent: true, headers });
      if (res.status === 404) {
        await res.body.dump();
        return null;
      }
      await expectOk(res, SOURCE, route);
      const p = parseWire(WireParty, await readJson(res, SOURCE, route), route);
      return { identifier: p.identifier, name: p.name ?? null };
    },
  };
}

export type MapiClient = ReturnType<typeof createMapiClient>;
