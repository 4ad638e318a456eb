import { parse, getOperationAST } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../../src/server/schema.js';
import { checkCost, costEstimator } from '../../../src/plugins/limits/cost.js';
import { measureOperation } from '../../../src/plugins/limits/shape.js';
import { checkQueryText } from '../../../src/plugins/limits/text.js';

const schema = buildSchema();
const limits = { maxCost: 50_000, defaultListSize: 10, maxPageSize: 500 };
const estimator = costEstimator(schema, limits);
const cost = (q: string, variables?: Record<string, unknown>) => checkCost(schema, estimator, parse(q), undefined, variables, limits).cost;

describe('query text', () => {
  const text = { maxQueryBytes: 1000, maxTokens: 50, maxDepth: 5 };
  it('counts bytes, tokens and bracket nesting without parsing', () => {
    expect(checkQueryText('{ a }', text)).toBeNull();
    expect(checkQueryText(`{ ${'a '.repeat(600)}}`, text)?.code).toBe('QUERY_TOO_LARGE');
    expect(checkQueryText(`{ ${'a '.repeat(60)}}`, text)?.code).toBe('TOKEN_LIMIT_EXCEEDED');
    expect(checkQueryText(`${'{a'.repeat(15)}${'}'.repeat(15)}`, { ...text, maxTokens: 1000 })?.code).toBe('DEPTH_LIMIT_EXCEEDED');
    // Comments are not tokens; a lexer error is left to the parser.
    expect(checkQueryText(`# ${'x'.repeat(500)}\n{ a }`, text)).toBeNull();
    expect(checkQueryText('{ "unterminated }', text)).toBeNull();
  });
});

describe('operation shape', () => {
  it('measures depth and aliases through fragments, counting a fragment each time it is spread', () => {
    const doc = parse('query { a: feeds { ...F } b: feeds { ...F } } fragment F on Feed { x: id entries { edges { node { id } } } }');
    expect(measureOperation(doc, getOperationAST(doc)!)).toEqual({ depth: 5, aliases: 4, rootFields: 2 });
  });
  it('leaves introspection out of the depth', () => {
    const doc = parse('{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } connections { name } }');
    expect(measureOperation(doc, getOperationAST(doc)!).depth).toBe(2);
  });
});

describe('cost', () => {
  it('charges an upstream field its weight once and its items per page', () => {
    // invoices: weight 25 + 1 object + first × (edges 1 + node 1 + total 1)
    expect(cost('{ invoices(filter: { schoolYear: "2020-21" }, first: 10) { edges { node { id total { amount } } } } }')).toBe(25 + 1 + 10 * 3);
  });
  it('takes page sizes from variables and defaults, and list lengths from list arguments', () => {
    const q = 'query($n: Int) { invoices(filter: { schoolYear: "2020-21" }, first: $n) { edges { node { id } } } }';
    expect(cost(q, { n: 100 })).toBe(26 + 100 * 2);
    expect(cost(q, {})).toBe(26 + 50 * 2);
    expect(cost('query($ids: [String!]!) { parties(identifiers: $ids) { capabilities { reachable } } }', { ids: Array(1000).fill('BE0840559537') })).toBe(5 + 1000 * (1 + 2 + 1));
  });
  it('multiplies nested lists, so the query that once took the process down costs millions', () => {
    const hostile = '{ feeds { entries(first:100) { edges { node { id feed { entries(first:100) { edges { node { id feed { entries(first:100) { edges { node { id } } } } } } } } } } } } }';
    expect(cost(hostile)).toBeGreaterThan(10_000_000);
  });
  it('costs introspection nothing', () => {
    expect(cost('{ __schema { types { name fields { name args { name } type { name ofType { name } } } } } }')).toBe(0);
  });
});
