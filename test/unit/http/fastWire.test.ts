import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FAIL, fastCheck } from '../../../src/http/fastWire.js';
import { parseWire } from '../../../src/http/wire.js';
import { SAMPLE_ACCESS_GROUP, startInformatSandbox, type InformatSandbox } from '../../../src/sandbox/informat/index.js';
import { informatToken } from '../../helpers/informatToken.js';
import { FULL_INVOICE_SELECTION, groupsQuery, invoiceSelection } from '../../../src/sources/informat/query.js';
import { WireGroupsAnswer, WireInvoice } from '../../../src/sources/informat/wire.js';
import { WireError, WireFeed } from '../../../src/sources/codabox/wire.js';

/**
 * The quick pass must answer exactly what zod answers, or step aside: for every body, either FAIL
 * (zod then decides) or a value deep-equal to zod's parse, and never a value where zod refuses.
 */
function agrees(schema: z.ZodType, value: unknown): 'quick' | 'zod' {
  const quick = fastCheck(schema)(value);
  const reference = schema.safeParse(value);
  if (quick === FAIL) return 'zod';
  expect(reference.success, `quick pass accepted what zod refuses: ${JSON.stringify(value).slice(0, 300)}`).toBe(true);
  expect(quick).toEqual(reference.data);
  return 'quick';
}

/** A small deterministic generator, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const ODD_VALUES: unknown[] = [null, undefined, 0, -1, 1.5, 2 ** 60, '', 'x', '12.30', true, [], {}, [1], { extra: 1 }];

/** One change somewhere in a JSON value: a key dropped, added or given an odd value. */
function mutate(value: unknown, next: () => number): unknown {
  const copy = structuredClone(value) as unknown;
  const containers: (Record<string, unknown> | unknown[])[] = [];
  const walk = (v: unknown) => {
    if (v && typeof v === 'object') {
      containers.push(v as Record<string, unknown>);
      for (const x of Object.values(v)) walk(x);
    }
  };
  walk(copy);
  const target = containers[Math.floor(next() * containers.length)]!;
  const keys = Object.keys(target);
  const odd = ODD_VALUES[Math.floor(next() * ODD_VALUES.length)];
  const r = next();
  if (Array.isArray(target)) {
    if (r < 0.3) target.pop();
    else if (target.length) target[Math.floor(next() * target.length)] = odd;
    else target.push(odd);
  } else if (r < 0.25 && keys.length) delete target[keys[Math.floor(next() * keys.length)]!];
  else if (r < 0.45) target[`unknown${Math.floor(next() * 3)}`] = odd;
  else if (keys.length) target[keys[Math.floor(next() * keys.length)]!] = odd;
  return copy;
}

let sandbox: InformatSandbox;
let invoices: unknown[] = [];
let answer: unknown;
beforeAll(async () => {
  sandbox = await startInformatSandbox({ invoicesPerGroup: 30 });
  const ag = SAMPLE_ACCESS_GROUP.identifier;
  const token = await informatToken(sandbox, ag);
  const query = groupsQuery({ groupWhere: null, invoices: { where: null, selection: invoiceSelection(FULL_INVOICE_SELECTION) } });
  const res = await fetch(`${sandbox.apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables: { accessGroupIdentifier: ag, schoolYear: '2020-21' } }),
  });
  answer = ((await res.json()) as { data: unknown }).data;
  invoices = (answer as { accessGroup: { invoiceGroups: { invoices: unknown[] }[] } }).accessGroup.invoiceGroups.flatMap((g) => g.invoices);
});
afterAll(async () => sandbox?.close());

describe('the quick wire pass', () => {
  it("answers Informat's real invoices itself, equal to zod's parse, decimals and all", () => {
    expect(invoices.length).toBeGreaterThan(20);
    for (const inv of invoices) expect(agrees(WireInvoice, inv)).toBe('quick');
    expect(agrees(WireGroupsAnswer, answer)).toBe('quick');
    // Amounts arrive as JSON numbers and leave as exact decimal strings.
    const one = fastCheck(WireInvoice)(invoices[0]) as { total: unknown };
    expect(typeof one.total).toBe('string');
  });

  it('keeps the body’s own objects where nothing changes, and copies only along transformed paths', () => {
    const inv = invoices.find((i) => (i as { recipient?: unknown }).recipient) as { recipient: unknown; itemGroups: unknown[] };
    const out = fastCheck(WireInvoice)(inv) as { recipient: unknown; itemGroups: unknown[] };
    expect(out).not.toBe(inv);
    expect(out.recipient).toBe(inv.recipient);
    expect(out.itemGroups).not.toBe(inv.itemGroups);
  });

  it('agrees with zod on 3,000 damaged invoices, and leaves every refusal to zod', () => {
    const next = rng(7);
    const outcomes = { quick: 0, zod: 0 };
    for (let i = 0; i < 3000; i++) outcomes[agrees(WireInvoice, mutate(invoices[i % invoices.length], next))]++;
    // Both paths were taken: damage that zod accepts (an unknown key) or refuses (a wrong type).
    expect(outcomes.quick).toBeGreaterThan(100);
    expect(outcomes.zod).toBeGreaterThan(100);
  });

  it('refuses a wrong body with zod’s own words and path', () => {
    const bad = { ...(invoices[0] as object), total: 'lots' };
    expect(() => parseWire('INFORMAT', WireInvoice, bad, 'POST /graphql', 'accessGroup.i0')).toThrow(/accessGroup\.i0\.total: not a decimal/);
  });

  it('agrees on records, unions, loose and strict objects, and unknown keys', () => {
    const loose = z.looseObject({ a: z.number().int() });
    const strict = z.strictObject({ a: z.string() });
    const cases: [z.ZodType, unknown[]][] = [
      [WireError, [{ detail: 'x' }, { name: ['required'] }, { detail: 1 }, { a: 'b' }, [], null]],
      [loose, [{ a: 1 }, { a: 1, b: 2 }, { a: 1.5 }, {}]],
      [strict, [{ a: 'x' }, { a: 'x', b: 1 }]],
      [z.record(z.string().regex(/^i\d+$/), WireInvoice.nullable()), [{ i0: null }, { i0: invoices[0] }, { x: null }]],
      [z.object({ a: z.string().default('d') }), [{}, { a: 'x' }]],
      [z.array(z.number()).min(1), [[], [1]]],
    ];
    for (const [schema, values] of cases) for (const v of values) agrees(schema, v);
  });

  it('agrees with zod on damaged CodaBox feeds', () => {
    const feed = {
      id: 3,
      type: 'download',
      feed_entries: [
        { feed_index: 'A1', document_model: 'coda', metadata: { iban: 'BE68539007547034', bank_id: 'GKCCBEBB', first_statement_number: 1, extension: null } },
        { feed_index: 'A2', document_model: 'purchase_invoice', metadata: { document_number: 'F-1', amount: 12.5 } },
      ],
    };
    expect(agrees(WireFeed, feed)).toBe('quick');
    expect(fastCheck(WireFeed)(feed)).toBe(feed);
    const next = rng(11);
    for (let i = 0; i < 500; i++) agrees(WireFeed, i === 0 ? feed : mutate(feed, next));
  });
});
