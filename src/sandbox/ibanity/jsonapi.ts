import type { SandboxRequest, SandboxResponse } from '../server.js';

/**
 * Ibanity's JSON:API conventions as the simulator answers them: `errors[]` with `code`, `detail`
 * and `source.pointer`, `meta.paging` on lists, UUID path ids, and the `invalidPayload` answer to a
 * body that is not a JSON `{"data": {...}}` envelope (the blog post's 400).
 */

export const JSON_API = 'application/vnd.api+json';

export interface ApiError {
  code: string;
  detail: string;
  source?: { pointer: string };
}

export const errors = (status: number, ...list: ApiError[]): SandboxResponse => ({ status, headers: { 'content-type': JSON_API }, body: { errors: list } });

export const ok = (body: unknown, status = 200): SandboxResponse => ({ status, headers: { 'content-type': JSON_API }, body });

export const invalidPayload = () => errors(400, { code: 'invalidPayload', detail: 'The submitted payload could not be parsed.' });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The path id, or the documented 400 for one that is not a UUID. */
export function uuidParam(req: SandboxRequest, name: string): string | SandboxResponse {
  const value = req.params[name] ?? '';
  return UUID.test(value) ? value.toLowerCase() : errors(400, { code: 'invalidParameter', detail: `The parameter '${name}' expected type is: 'uuid'` });
}

export const isUuid = (v: string) => UUID.test(v);

/** The `data` object of a JSON:API body, or invalidPayload for anything else (form-encoded, unwrapped, not JSON). */
export function dataOf(req: SandboxRequest): { type: unknown; id?: unknown; attributes: Record<string, unknown> } | SandboxResponse {
  let json: unknown;
  try {
    json = JSON.parse(req.body.toString('utf8'));
  } catch {
    return invalidPayload();
  }
  const data = (json as { data?: unknown } | null)?.data;
  if (!data || typeof data !== 'object' || Array.isArray(data)) return invalidPayload();
  const attributes = (data as { attributes?: unknown }).attributes ?? {};
  if (typeof attributes !== 'object' || Array.isArray(attributes) || attributes === null) return invalidPayload();
  return { type: (data as { type?: unknown }).type, id: (data as { id?: unknown }).id, attributes: attributes as Record<string, unknown> };
}

/** `page[number]` (0-based) and `page[size]` (1..2000, default 2000); a bad value is invalidParameter. */
export function paging(req: SandboxRequest): { number: number; size: number } | SandboxResponse {
  const number = Number(req.query.get('page[number]') ?? 0);
  const size = Number(req.query.get('page[size]') ?? 2000);
  if (!Number.isInteger(number) || number < 0) return errors(400, { code: 'invalidParameter', detail: "The parameter 'page[number]' must be a positive integer" });
  if (!Number.isInteger(size) || size < 1 || size > 2000) return errors(400, { code: 'invalidParameter', detail: "The parameter 'page[size]' must be between 1 and 2000" });
  return { number, size };
}

/**
 * A list page: `total` counts items (what the blog post's one-supplier list shows). `cap` is the
 * most a page holds whatever was asked (a variant: see variants.ts `pageSizeCap`); `meta.paging.size`
 * then says the size served.
 */
export function page<T>(items: readonly T[], asked: { number: number; size: number }, render: (t: T) => unknown, cap = 2000): SandboxResponse {
  const p = { number: asked.number, size: Math.min(asked.size, cap) };
  const slice = items.slice(p.number * p.size, (p.number + 1) * p.size);
  return ok({ data: slice.map(render), meta: { paging: { number: p.number, size: p.size, total: items.length, totalEntries: items.length, totalPages: Math.ceil(items.length / p.size) } } });
}

export const isResponse = (v: unknown): v is SandboxResponse => typeof v === 'object' && v !== null && 'status' in v && typeof (v as { status: unknown }).status === 'number' && !('attributes' in v);

/** An ISO time like Ibanity's, with microseconds. */
export const stamp = (ms: number) => new Date(ms).toISOString().replace('Z', '000Z');
