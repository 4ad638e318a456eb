import type { z } from 'zod';

/**
 * A quick first pass over an upstream body for the shapes the wire schemas use, answering either
 * what zod's parse would answer or FAIL ("ask zod"). It never decides that a body is wrong: on FAIL,
 * `parseWire` runs zod on the whole body, so a body of an unexpected shape is refused with zod's own
 * words and path, and a body zod would accept in a way this pass does not know is zod's to accept.
 *
 * Why: zod copies every object it checks. A page of 100 Informat invoices is about 2,000 objects,
 * copied once more than needed and then thrown away; that garbage was the largest share of the
 * gateway's CPU. This pass returns the body's own objects where zod's copy would be equal to them
 * (no unknown keys stripped, no value transformed below), and builds new objects only along the
 * paths a transform (a decimal) changes. Checked values are only read, never changed, so sharing them
 * with the parsed body is safe.
 *
 * Kinds it knows, each with zod's meaning: string (regex and uuid formats), number (safeint),
 * boolean, enum, literal, null, unknown, optional, nullable, object (strip, loose, strict), array,
 * record with string keys, union (first option that passes), pipe and transform (sync, issues
 * through ctx.addIssue). Anything else is handed to zod for that part of the body.
 */

export const FAIL: unique symbol = Symbol('ask zod');
type Check = (value: unknown) => unknown;

const compiled = new WeakMap<z.ZodType, Check>();

/** The checker for a schema, built once per schema. */
export function fastCheck(schema: z.ZodType): Check {
  let c = compiled.get(schema);
  if (!c) {
    c = build(schema);
    compiled.set(schema, c);
  }
  return c;
}

interface Def {
  type: string;
  checks?: { _zod: { def: { check: string; format?: string; pattern?: RegExp } } }[];
  [k: string]: unknown;
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** zod itself, for a part of the body this pass does not know. */
const byZod =
  (schema: z.ZodType): Check =>
  (value) => {
    const r = schema.safeParse(value);
    return r.success ? r.data : FAIL;
  };

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function build(schema: z.ZodType): Check {
  const def = defOf(schema);
  const checks = def.checks ?? [];
  switch (def.type) {
    case 'string': {
      const patterns: RegExp[] = [];
      for (const c of checks) {
        const d = c._zod.def;
        if (d.check === 'string_format' && (d.format === 'regex' || d.format === 'uuid') && d.pattern instanceof RegExp) patterns.push(d.pattern);
        else return byZod(schema);
      }
      if (def.format !== undefined && def.format !== 'regex' && def.format !== 'uuid') return byZod(schema);
      return (v) => {
        if (typeof v !== 'string') return FAIL;
        for (const p of patterns) {
          p.lastIndex = 0;
          if (!p.test(v)) return FAIL;
        }
        return v;
      };
    }
    case 'number': {
      if (def.format !== undefined && def.format !== 'safeint') return byZod(schema);
      let safeint = def.format === 'safeint';
      for (const c of checks) {
        if (c._zod.def.check === 'number_format' && c._zod.def.format === 'safeint') safeint = true;
        else return byZod(schema);
      }
      return (v) => (typeof v === 'number' && Number.isFinite(v) && (!safeint || Number.isSafeInteger(v)) ? v : FAIL);
    }
    case 'boolean':
      return checks.length ? byZod(schema) : (v) => (typeof v === 'boolean' ? v : FAIL);
    case 'null':
      return (v) => (v === null ? v : FAIL);
    case 'unknown':
    case 'any':
      return checks.length ? byZod(schema) : (v) => v;
    case 'enum': {
      const values = new Set(Object.values(def.entries as Record<string, unknown>));
      return checks.length ? byZod(schema) : (v) => (values.has(v) ? v : FAIL);
    }
    case 'literal': {
      const values = new Set(def.values as unknown[]);
      return checks.length ? byZod(schema) : (v) => (values.has(v) ? v : FAIL);
    }
    case 'optional': {
      const inner = fastCheck(def.innerType as z.ZodType);
      return (v) => (v === undefined ? v : inner(v));
    }
    case 'nullable': {
      const inner = fastCheck(def.innerType as z.ZodType);
      return (v) => (v === null ? v : inner(v));
    }
    case 'array':
      return checks.length ? byZod(schema) : arrayCheck(fastCheck(def.element as z.ZodType));
    case 'object':
      return checks.length ? byZod(schema) : objectCheck(schema, def);
    case 'record': {
      const keyDef = defOf(def.keyType as z.ZodType);
      if (checks.length || keyDef.type !== 'string') return byZod(schema);
      return recordCheck(fastCheck(def.keyType as z.ZodType), fastCheck(def.valueType as z.ZodType));
    }
    case 'union': {
      if (checks.length) return byZod(schema);
      const options = (def.options as z.ZodType[]).map(fastCheck);
      return (v) => {
        for (const o of options) {
          const r = o(v);
          if (r !== FAIL) return r;
        }
        return FAIL;
      };
    }
    case 'pipe': {
      if (checks.length) return byZod(schema);
      const first = fastCheck(def.in as z.ZodType);
      const then = fastCheck(def.out as z.ZodType);
      return (v) => {
        const r = first(v);
        return r === FAIL ? FAIL : then(r);
      };
    }
    case 'transform': {
      const fn = def.transform as (value: unknown, ctx: unknown) => unknown;
      // One context per schema, emptied before each call: transforms run synchronously, one at a time.
      const ctx = {
        value: undefined as unknown,
        issues: [] as unknown[],
        addIssue(issue: unknown) {
          ctx.issues.push(issue);
        },
      };
      return (v) => {
        ctx.value = v;
        ctx.issues.length = 0;
        const out = fn(v, ctx);
        return ctx.issues.length || out instanceof Promise ? FAIL : out;
      };
    }
    default:
      return byZod(schema);
  }
}

function arrayCheck(element: Check): Check {
  return (v) => {
    if (!Array.isArray(v)) return FAIL;
    let out: unknown[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const item = v[i];
      const r = element(item);
      if (r === FAIL) return FAIL;
      if (r !== item && !out) out = v.slice(0, i);
      if (out) out.push(r);
    }
    return out ?? v;
  };
}

/**
 * A leaf check as a JavaScript expression over `x` (the value, or FAIL), for the kinds simple enough
 * to write inline: strings without formats, numbers, booleans, null, unknown, and these optional or
 * nullable. Null for anything else, which the object calls as a function instead.
 */
function inlineLeaf(schema: z.ZodType): string | null {
  const def = defOf(schema);
  if (def.checks?.length) return null;
  switch (def.type) {
    case 'string':
      return def.format === undefined ? "(typeof x === 'string' ? x : FAIL)" : null;
    case 'number':
      return def.format === undefined ? "(typeof x === 'number' && Number.isFinite(x) ? x : FAIL)" : def.format === 'safeint' ? "(Number.isSafeInteger(x) ? x : FAIL)" : null;
    case 'boolean':
      return "(typeof x === 'boolean' ? x : FAIL)";
    case 'null':
      return '(x === null ? x : FAIL)';
    case 'unknown':
    case 'any':
      return 'x';
    case 'optional': {
      const inner = inlineLeaf(def.innerType as z.ZodType);
      return inner && `(x === undefined ? x : ${inner})`;
    }
    case 'nullable': {
      const inner = inlineLeaf(def.innerType as z.ZodType);
      return inner && `(x === null ? x : ${inner})`;
    }
    default:
      return null;
  }
}

/**
 * An object check written out as code for its shape (as graphql-jit does for operations): each key
 * read by name, so V8 sees the same few object shapes at each read instead of one generic loop
 * over every key of every schema. Keys come from our own schemas, written as JSON string literals.
 */
function objectCheck(schema: z.ZodType, def: Def): Check {
  const shape = def.shape as Record<string, z.ZodType>;
  const keys = Object.keys(shape);
  // A key named __proto__ has rules of its own in zod; such schemas go to zod whole.
  if (keys.includes('__proto__')) return byZod(schema);
  const known = new Set(keys);
  const catchall = def.catchall as z.ZodType | undefined;
  const mode = catchall === undefined ? 'strip' : defOf(catchall).type === 'unknown' ? 'loose' : defOf(catchall).type === 'never' ? 'strict' : null;
  if (mode === null) return byZod(schema);

  const checks: Check[] = [];
  const lines: string[] = ['if (typeof v !== "object" || v === null || Array.isArray(v)) return FAIL;', 'let present = 0, changed = false, x;'];
  keys.forEach((key, i) => {
    const k = JSON.stringify(key);
    const inline = inlineLeaf(shape[key]!);
    const check = inline ?? `c[${checks.push(fastCheck(shape[key]!)) - 1}](x)`;
    lines.push(
      `const x${i} = v[${k}], h${i} = x${i} !== undefined || ${k} in v;`,
      // An absent key passes only where the schema accepts undefined, and stays absent.
      isOptional(shape[key]!) ? `if (h${i}) present++;` : `if (!h${i}) return FAIL; present++;`,
      `x = x${i}; const r${i} = ${check};`,
      `if (r${i} === FAIL) return FAIL;`,
      `if (r${i} !== x${i} || (!h${i} && r${i} !== undefined)) changed = true;`,
    );
  });
  lines.push(
    // More keys than the shape's present ones: unknown keys, stripped (a copy), kept (loose) or refused (strict).
    'let n = 0; for (const _ in v) n++;',
    'if (n !== present) { if (!unknownKeysPass(v)) return FAIL; if (strip) changed = true; }',
    'if (!changed) return v;',
    `const out = ${mode === 'loose' ? '{ ...v }' : '{}'};`,
    ...keys.map((key, i) => `if (h${i} || r${i} !== undefined) out[${JSON.stringify(key)}] = r${i};`),
    'return out;',
  );
  const unknownKeysPass = (v: Record<string, unknown>): boolean => {
    for (const k in v) if (!known.has(k) && (mode === 'strict' || k === '__proto__')) return false;
    return true;
  };
  const make = new Function('FAIL', 'c', 'unknownKeysPass', 'strip', `return function check(v) {\n${lines.join('\n')}\n};`) as (
    fail: typeof FAIL,
    c: Check[],
    pass: typeof unknownKeysPass,
    strip: boolean,
  ) => Check;
  return make(FAIL, checks, unknownKeysPass, mode === 'strip');
}

/** Whether zod lets the key be absent: the schema is optional on the way in. */
const isOptional = (s: z.ZodType): boolean => (s as unknown as { _zod: { optin?: string } })._zod.optin === 'optional';

function recordCheck(key: Check, value: Check): Check {
  return (v) => {
    if (!isPlainObject(v)) return FAIL;
    let out: Record<string, unknown> | null = null;
    const ks = Object.keys(v);
    for (let i = 0; i < ks.length; i++) {
      const k = ks[i]!;
      if (k === '__proto__' || key(k) !== k) return FAIL;
      const item = v[k];
      const r = value(item);
      if (r === FAIL) return FAIL;
      if (r !== item && !out) {
        out = {};
        for (let j = 0; j < i; j++) out[ks[j]!] = v[ks[j]!];
      }
      if (out) out[k] = r;
    }
    return out ?? v;
  };
}
