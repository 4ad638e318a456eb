import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Trusted documents (persisted operations). A manifest maps document IDs to operation texts, in one
 * of the forms front-end tool chains write:
 * - `{ "<id>": "<text>", … }`: GraphQL Code Generator's client preset (`persistedDocuments`, sha256
 *   IDs) and Relay's `--persist-output` (md5 IDs);
 * - `{ "format": "apollo-persisted-query-manifest", "operations": [{ "id", "body" }, …] }`: Apollo's.
 *
 * A request names its document with `documentId` (the GraphQL-over-HTTP draft; `sha256:` prefix
 * optional), `doc_id` or `id` (Relay's conventions), or `extensions.persistedQuery.sha256Hash`
 * (Apollo Client, the client preset). With TRUSTED_DOCUMENTS_ONLY, nothing else runs: a free text
 * runs only when it is one of the manifest's texts, and unknown hashes are never registered (APQ is
 * off in that mode).
 */

const ClientPresetManifest = z.record(z.string().min(1).max(200), z.string().min(1));
const ApolloManifest = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.number().optional(),
  operations: z.array(z.object({ id: z.string().min(1).max(200), body: z.string().min(1), name: z.string().optional(), type: z.string().optional() })),
});

export interface TrustedDocuments {
  readonly size: number;
  readonly only: boolean;
  /** The request's parameters (a POST body or a GET's query) with its document's text in `query`, or why it may not run. */
  resolve(params: unknown): { ok: true; params: Record<string, unknown> } | { ok: false; status: number; code: string; message: string };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function loadTrustedDocuments(file: string, only: boolean): TrustedDocuments {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`TRUSTED_DOCUMENTS_FILE: cannot read ${file} as JSON: ${(err as Error).message}`);
  }
  const apollo = ApolloManifest.safeParse(raw);
  const plain = apollo.success ? null : ClientPresetManifest.safeParse(raw);
  if (!apollo.success && !plain?.success) throw new Error(`TRUSTED_DOCUMENTS_FILE: ${file} is neither { "<id>": "<operation>" } (client preset, Relay) nor an Apollo persisted query manifest`);
  const byId = new Map<string, string>(apollo.success ? apollo.data.operations.map((o) => [o.id, o.body]) : Object.entries(plain!.data!));
  const texts = new Set([...byId.values()].map(sha256));

  const fail = (status: number, code: string, message: string) => ({ ok: false as const, status, code, message });
  return {
    size: byId.size,
    only,
    resolve(given) {
      // A batch (an array) or no parameters: nothing to look up; in the only mode, nothing to run.
      if (!given || typeof given !== 'object' || Array.isArray(given)) {
        return only ? fail(400, 'TRUSTED_DOCUMENTS_ONLY', 'This gateway runs only single operations of its manifest of trusted documents.') : { ok: true, params: given as Record<string, unknown> };
      }
      const params = given as Record<string, unknown>;
      const extensions = typeof params.extensions === 'string' ? safeJson(params.extensions) : params.extensions;
      const persisted = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery;
      const named = [params.documentId, params.doc_id, params.id, persisted?.sha256Hash].find((x): x is string => typeof x === 'string' && x.length > 0);
      const query = typeof params.query === 'string' && params.query.length > 0 ? params.query : null;
      if (named) {
        const text = byId.get(named) ?? byId.get(named.replace(/^sha256:/, ''));
        if (!text && !query) return fail(400, 'PERSISTED_QUERY_NOT_FOUND', `No trusted document has the ID ${JSON.stringify(named.slice(0, 80))}; the front end and the gateway's manifest (TRUSTED_DOCUMENTS_FILE) differ.`);
        if (text) {
          const { documentId: _a, doc_id: _b, id: _c, extensions: _e, ...rest } = params;
          // The text is the manifest's: Apollo's own persisted-query check (sha256 of the text) is not needed for it.
          const { persistedQuery: _p, ...otherExtensions } = (extensions ?? {}) as Record<string, unknown>;
          const kept = Object.keys(otherExtensions).length ? { extensions: typeof params.extensions === 'string' ? JSON.stringify(otherExtensions) : otherExtensions } : {};
          return { ok: true, params: { ...rest, query: text, ...kept } };
        }
      }
      if (only && (!query || !texts.has(sha256(query)))) {
        return fail(400, 'TRUSTED_DOCUMENTS_ONLY', 'This gateway runs only the operations of its manifest of trusted documents: send the documentId your build produced instead of the text.');
      }
      return { ok: true, params };
    },
  };
}

/** A GET's parameters as the query string Apollo reads them from (objects as JSON). */
export const searchOf = (params: Record<string, unknown>) =>
  new URLSearchParams(Object.entries(params).flatMap(([k, v]): [string, string][] => (v === undefined ? [] : [[k, typeof v === 'string' ? v : JSON.stringify(v)]]))).toString();

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
