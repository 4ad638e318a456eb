/**
 * What a caller may do. Fields and mutations declare what they need with `@requiresScopes` in the
 * schema (Apollo Federation's and Hive's convention: a list of alternatives, each a list of scopes
 * needed together); `admin` stands for every scope.
 */
export const SCOPES = [
  'invoices:read',
  'payments:write',
  'messages:read',
  'messages:write',
  'documents:send',
  'feeds:read',
  'feeds:ack',
  'parties:read',
  'suppliers:write',
  'credentials:admin',
  'admin',
] as const;

export type ScopeName = (typeof SCOPES)[number];

export const isScope = (s: string): s is ScopeName => (SCOPES as readonly string[]).includes(s);

/** Every scope that only reads: a read-only key is given these. */
export const READ_SCOPES: ScopeName[] = ['invoices:read', 'messages:read', 'feeds:read', 'parties:read'];

/** Whether `held` satisfies one of the alternatives (`[[a, b], [c]]`: a and b, or c). */
export function satisfies(held: ReadonlySet<string>, alternatives: readonly (readonly string[])[]): boolean {
  if (held.has('admin')) return true;
  return alternatives.some((all) => all.every((s) => held.has(s)));
}

/** How a refusal reads: "needs invoices:read" or "needs a and b, or c". */
export const describeNeed = (alternatives: readonly (readonly string[])[]) => alternatives.map((all) => all.join(' and ')).join(', or ');
