import { gql, InMemoryCache } from '@apollo/client';
import { getNamedType, isListType, isNonNullType, isObjectType } from 'graphql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import possibleTypes from '../../../frontend/possibleTypes.js';
import { INDEXED_LISTS, typePolicies, VALUE_TYPES } from '../../../frontend/typePolicies.js';
import { buildSchema } from '../../../src/server/schema.js';

/**
 * The front-end kit against Apollo Client's real InMemoryCache: two overlapping queries lose no field,
 * and fragments on Node and on FeedEntry's details union match.
 */
const cache = () => new InMemoryCache({ possibleTypes: possibleTypes.possibleTypes, typePolicies });
const warn = vi.spyOn(console, 'warn');
const error = vi.spyOn(console, 'error');
afterEach(() => {
  warn.mockClear();
  error.mockClear();
});

const ID = 'SW52b2ljZTpJTkZPUk1BVDphZzpjYWM5NjVlOQ';

describe('Apollo Client cache with the front-end kit', () => {
  it('keeps every field of value objects and list items across two overlapping queries, without warnings', () => {
    const c = cache();
    const A = gql`query A($id: ID!) { invoice(id: $id) { __typename id total { __typename amount } paymentReference { __typename formatted } lines { __typename description } } }`;
    const B = gql`query B($id: ID!) { invoice(id: $id) { __typename id total { __typename currency } paymentReference { __typename structured } lines { __typename total { __typename amount } } } }`;
    c.writeQuery({ query: A, variables: { id: ID }, data: { invoice: { __typename: 'Invoice', id: ID, total: { __typename: 'Money', amount: '121.00' }, paymentReference: { __typename: 'PaymentReference', formatted: '+++090/9337/55493+++' }, lines: [{ __typename: 'InvoiceLine', description: 'Schoolreis' }, { __typename: 'InvoiceLine', description: 'Boeken' }] } } });
    c.writeQuery({ query: B, variables: { id: ID }, data: { invoice: { __typename: 'Invoice', id: ID, total: { __typename: 'Money', currency: 'EUR' }, paymentReference: { __typename: 'PaymentReference', structured: true }, lines: [{ __typename: 'InvoiceLine', total: { __typename: 'Money', amount: '100.00' } }, { __typename: 'InvoiceLine', total: { __typename: 'Money', amount: '21.00' } }] } } });
    const both = gql`query Both($id: ID!) { invoice(id: $id) { id total { amount currency } paymentReference { formatted structured } lines { description total { amount } } } }`;
    const read = c.readQuery<any>({ query: both, variables: { id: ID } });
    expect(read.invoice.total).toMatchObject({ amount: '121.00', currency: 'EUR' });
    expect(read.invoice.paymentReference).toMatchObject({ formatted: '+++090/9337/55493+++', structured: true });
    expect(read.invoice.lines.map((l: any) => [l.description, l.total.amount])).toEqual([['Schoolreis', '100.00'], ['Boeken', '21.00']]);
    expect(warn).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
  });

  it('matches fragments on the Node interface and on the FeedEntry details union', () => {
    const c = cache();
    const q = gql`query N($id: ID!) { node(id: $id) { __typename id ... on Invoice { number } } }`;
    c.writeQuery({ query: q, variables: { id: ID }, data: { node: { __typename: 'Invoice', id: ID, number: 'F-1' } } });
    expect(c.readQuery<any>({ query: q, variables: { id: ID } }).node.number).toBe('F-1');
    const f = gql`query F($id: ID!) { node(id: $id) { __typename id ... on FeedEntry { details { __typename ... on BankStatement { iban } ... on Invoice { id number } } } } }`;
    c.writeQuery({ query: f, variables: { id: 'e1' }, data: { node: { __typename: 'FeedEntry', id: 'e1', details: { __typename: 'BankStatement', iban: 'BE68539007547034' } } } });
    expect(c.readQuery<any>({ query: f, variables: { id: 'e1' } }).node.details.iban).toBe('BE68539007547034');
    expect(warn).not.toHaveBeenCalled();
  });

  it('covers every value type and every list of them the schema has, so the policies cannot fall behind it', () => {
    const schema = buildSchema();
    const plumbing = (name: string) => /(Connection|Edge|Payload)$/.test(name) || ['PageInfo', 'UserError', 'ParsedBankStatements', 'ValidationReport', 'Query', 'Mutation'].includes(name) || name.startsWith('_');
    const types = Object.values(schema.getTypeMap()).filter((t) => isObjectType(t) && !plumbing(t.name));
    const idless = types.filter((t) => isObjectType(t) && !('id' in t.getFields())).map((t) => t.name);
    expect(idless.filter((t) => !(VALUE_TYPES as readonly string[]).includes(t))).toEqual([]);
    const lists = types.flatMap((t) =>
      Object.values((t as any).getFields() as Record<string, any>)
        .filter((f) => isListType(isNonNullType(f.type) ? f.type.ofType : f.type) && isObjectType(getNamedType(f.type)) && !('id' in (getNamedType(f.type) as any).getFields()) && 'id' in (t as any).getFields())
        .map((f) => `${t.name}.${f.name}`),
    );
    expect(lists.filter((l) => !(INDEXED_LISTS as readonly string[]).includes(l))).toEqual([]);
  });
});
