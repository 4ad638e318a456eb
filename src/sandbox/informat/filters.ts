import Big from 'big.js';

/**
 * HotChocolate-style `where` evaluation: a filter object ANDs its fields, `and`/`or` combine
 * nested filters, and each field takes operations (`eq`, `neq`, `gt`, `gte`, `lt`, `lte`, `in`,
 * `nin`, and for strings `contains`, `startsWith`, `endsWith` and their negations).
 */

export type FieldKind = 'string' | 'int' | 'decimal' | 'date' | 'datetime' | 'enum' | 'uuid';
export type Filter = Record<string, unknown>;

function compare(kind: FieldKind, a: unknown, b: unknown): number {
  if (kind === 'decimal') return new Big(String(a)).cmp(new Big(String(b)));
  if (kind === 'int') return Number(a) - Number(b);
  if (kind === 'datetime' || kind === 'date') return Date.parse(String(a)) - Date.parse(String(b));
  const x = kind === 'uuid' ? String(a).toLowerCase() : String(a);
  const y = kind === 'uuid' ? String(b).toLowerCase() : String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function applyOp(kind: FieldKind, op: string, value: unknown, arg: unknown): boolean {
  if (arg === null || arg === undefined) {
    if (op === 'eq') return value === null || value === undefined;
    if (op === 'neq') return value !== null && value !== undefined;
    return true;
  }
  if (value === null || value === undefined) return op === 'neq' || op === 'nin' || op.startsWith('n');
  switch (op) {
    case 'eq': return compare(kind, value, arg) === 0;
    case 'neq': return compare(kind, value, arg) !== 0;
    case 'gt': return compare(kind, value, arg) > 0;
    case 'gte': return compare(kind, value, arg) >= 0;
    case 'lt': return compare(kind, value, arg) < 0;
    case 'lte': return compare(kind, value, arg) <= 0;
    case 'ngt': return !(compare(kind, value, arg) > 0);
    case 'ngte': return !(compare(kind, value, arg) >= 0);
    case 'nlt': return !(compare(kind, value, arg) < 0);
    case 'nlte': return !(compare(kind, value, arg) <= 0);
    case 'in': return (arg as unknown[]).some((a) => compare(kind, value, a) === 0);
    case 'nin': return !(arg as unknown[]).some((a) => compare(kind, value, a) === 0);
    case 'contains': return String(value).includes(String(arg));
    case 'ncontains': return !String(value).includes(String(arg));
    case 'startsWith': return String(value).startsWith(String(arg));
    case 'nstartsWith': return !String(value).startsWith(String(arg));
    case 'endsWith': return String(value).endsWith(String(arg));
    case 'nendsWith': return !String(value).endsWith(String(arg));
    default: throw new Error(`unknown filter operation ${op}`);
  }
}

export function matches(filter: Filter | null | undefined, record: Record<string, unknown>, kinds: Record<string, FieldKind>): boolean {
  if (!filter) return true;
  for (const [key, arg] of Object.entries(filter)) {
    if (arg === undefined) continue;
    if (key === 'and') {
      if (!(arg as Filter[]).every((f) => matches(f, record, kinds))) return false;
    } else if (key === 'or') {
      if (!(arg as Filter[]).some((f) => matches(f, record, kinds))) return false;
    } else {
      const kind = kinds[key];
      if (!kind) throw new Error(`field ${key} cannot be filtered`);
      for (const [op, opArg] of Object.entries(arg as Record<string, unknown>)) {
        if (!applyOp(kind, op, record[key], opArg)) return false;
      }
    }
  }
  return true;
}

const OPS: Record<FieldKind, string[]> = {
  string: ['eq', 'neq', 'in', 'nin', 'contains', 'ncontains', 'startsWith', 'nstartsWith', 'endsWith', 'nendsWith'],
  uuid: ['eq', 'neq', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'ngt', 'ngte', 'nlt', 'nlte'],
  int: ['eq', 'neq', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'ngt', 'ngte', 'nlt', 'nlte'],
  decimal: ['eq', 'neq', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'ngt', 'ngte', 'nlt', 'nlte'],
  date: ['eq', 'neq', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'ngt', 'ngte', 'nlt', 'nlte'],
  datetime: ['eq', 'neq', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'ngt', 'ngte', 'nlt', 'nlte'],
  enum: ['eq', 'neq', 'in', 'nin'],
};

/** SDL of one operation input type, named as HotChocolate names them (`DecimalOperationFilterInput`). */
export function operationInputSdl(name: string, scalar: string, kind: FieldKind): string {
  const fields = OPS[kind].map((op) => (op === 'in' || op === 'nin' ? `  ${op}: [${scalar}]` : `  ${op}: ${scalar}`));
  return `input ${name} {\n${fields.join('\n')}\n}`;
}

/** SDL of an entity's filter input with `and`/`or`. */
export function filterInputSdl(name: string, fields: Record<string, string>): string {
  const lines = [`  and: [${name}!]`, `  or: [${name}!]`, ...Object.entries(fields).map(([f, t]) => `  ${f}: ${t}`)];
  return `input ${name} {\n${lines.join('\n')}\n}`;
}
