import type { z } from 'zod';
import { malformed } from './errors.js';
import { expectOk, readJson } from './transport.js';
import type { UpstreamResponse } from './types.js';

/** Checked values by the parsed body and schema they came from; the checked value is shared and only read. */
const checked = new WeakMap<object, Map<z.ZodType, unknown>>();

/**
 * Checks an upstream body against its zod schema. A mismatch is an UPSTREAM_REJECTED error naming
 * the upstream, the route and the path of the first problem: never a crash, never a silent undefined.
 */
export function parseWire<S extends z.ZodType>(source: string, schema: S, value: unknown, route: string, path = ''): z.infer<S> {
  // A parsed body shared by several reads (see readJson) is checked once per schema.
  const memo = value !== null && typeof value === 'object' ? checked.get(value) : undefined;
  if (memo?.has(schema)) return memo.get(schema) as z.infer<S>;
  const r = schema.safeParse(value);
  if (r.success) {
    if (value !== null && typeof value === 'object') {
      if (memo) memo.set(schema, r.data);
      else checked.set(value, new Map([[schema, r.data]]));
    }
    return r.data;
  }
  const issue = r.error.issues[0]!;
  const where = [path, ...issue.path.map(String)].filter(Boolean).join('.');
  throw malformed(source, route, `${where || '(root)'}: ${issue.message}`);
}

/** The end of every JSON call: a 2xx or the mapped upstream error, then the body checked against its schema. */
export async function readWire<S extends z.ZodType>(source: string, schema: S, res: UpstreamResponse, route: string): Promise<z.infer<S>> {
  await expectOk(res, source, route);
  return parseWire(source, schema, await readJson(res, source, route), route);
}
