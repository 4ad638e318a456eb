import type { z } from 'zod';
import { malformed } from './errors.js';
import { FAIL, fastCheck } from './fastWire.js';
import { expectOk, readJson } from './transport.js';
import type { UpstreamResponse } from './types.js';

/**
 * Checks an upstream body against its zod schema. A mismatch is an UPSTREAM_REJECTED error naming
 * the upstream, the route and the path of the first problem: never a crash, never a silent undefined.
 */
export function parseWire<S extends z.ZodType>(source: string, schema: S, value: unknown, route: string, path = ''): z.infer<S> {
  // The quick pass answers as zod would, or asks zod (fastWire.ts).
  const quick = fastCheck(schema)(value);
  if (quick !== FAIL) return quick as z.infer<S>;
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const where = [path, ...issue.path.map(String)].filter(Boolean).join('.');
  throw malformed(source, route, `${where || '(root)'}: ${issue.message}`);
}

/** Checked values by the shared value and schema they came from; the checked value is shared and only read. */
const checked = new WeakMap<object, Map<z.ZodType, unknown>>();

/**
 * `parseWire` for a value several reads share (a body readJson parsed once for bytes kept by the
 * operation's memo or the response cache, or a part of one): checked once per schema. Values parsed
 * afresh each time gain nothing from it and use `parseWire`.
 */
export function parseSharedWire<S extends z.ZodType>(source: string, schema: S, value: unknown, route: string, path = ''): z.infer<S> {
  if (value === null || typeof value !== 'object') return parseWire(source, schema, value, route, path);
  const memo = checked.get(value);
  if (memo?.has(schema)) return memo.get(schema) as z.infer<S>;
  const data = parseWire(source, schema, value, route, path);
  if (memo) memo.set(schema, data);
  else checked.set(value, new Map([[schema, data]]));
  return data;
}

/** The end of every JSON call: a 2xx or the mapped upstream error, then the body checked against its schema. */
export async function readWire<S extends z.ZodType>(source: string, schema: S, res: UpstreamResponse, route: string): Promise<z.infer<S>> {
  await expectOk(res, source, route);
  return parseSharedWire(source, schema, await readJson(res, source, route), route);
}
