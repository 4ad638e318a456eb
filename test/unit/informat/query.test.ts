import { describe, expect, it } from 'vitest';
import { EnumLiteral, FULL_INVOICE_SELECTION, groupsQuery, groupWhere, invoiceSelection, invoiceWhere, NumberLiteral, printLiteral } from '../../../src/sources/informat/query.js';

describe('Informat where', () => {
  it('maps each unified filter to the documented Informat filter', () => {
    expect(printLiteral(invoiceWhere({ openOnly: true })!)).toBe('{open: {neq: 0}}');
    expect(printLiteral(invoiceWhere({ changedSince: '2023-06-01T00:00:00Z' })!)).toBe('{changed: {gte: "2023-06-01T00:00:00Z"}}');
    expect(printLiteral(invoiceWhere({ openOnly: true, minTotal: '25.5' })!)).toBe('{and: [{open: {neq: 0}}, {total: {gte: 25.5}}]}');
    expect(printLiteral(invoiceWhere({ paymentReference: '+++000/2823/32442+++' })!)).toBe('{paymentReference: {eq: "000282332442"}}');
    expect(printLiteral(groupWhere({ groupNumber: 8052, type: 'STUDENT' })!)).toBe('{and: [{id: {eq: 8052}}, {invoiceGroupType: {eq: STUDENT}}]}');
    expect(invoiceWhere({})).toBeNull();
  });

  it('escapes strings so a filter value cannot change the query', () => {
    const printed = printLiteral(invoiceWhere({ paymentReference: '"}) { hack } #' })!);
    expect(printed).toBe('{paymentReference: {eq: "\\"}) { hack } #"}}');
  });

  it('refuses literals that are not what they claim', () => {
    expect(() => new NumberLiteral('1; drop')).toThrow(RangeError);
    expect(() => new EnumLiteral('student')).toThrow(RangeError);
  });
});

describe('Informat selection', () => {
  it('always fetches the identifying fields and nothing else unasked', () => {
    expect(invoiceSelection({})).toBe('invoiceId invoiceType total');
    expect(invoiceSelection({ open: {}, recipient: { lastName: {} } })).toBe('invoiceId invoiceType total open recipient { id firstName lastName birthDate stamNumber institute class }');
  });

  it('fetches the invoice group only where the query does not already know it', () => {
    expect(invoiceSelection({ informat: { invoiceGroup: {} } })).not.toContain('invoiceGroup');
    expect(invoiceSelection({ informat: { invoiceGroup: {} } }, { withGroup: true })).toContain('invoiceGroup {');
  });

  it('covers every field for the full selection, but never national numbers', () => {
    const s = invoiceSelection(FULL_INVOICE_SELECTION, { withGroup: true });
    for (const f of ['printDate', 'dueDate', 'paid', 'open', 'itemGroups', 'mandate', 'invoiceAddress', 'homeAddress', 'eolEntryNumber', 'imageUrl', 'created', 'changed']) expect(s).toContain(f);
    expect(s).not.toContain('rrNo');
    expect(s).not.toContain('nationalNumber');
  });

  it('nests invoices in the groups query', () => {
    const q = groupsQuery({ groupWhere: groupWhere({ groupNumber: 1 }), invoices: { where: invoiceWhere({ openOnly: true }), selection: 'invoiceId' } });
    expect(q).toContain('invoiceGroups(schoolYear: $schoolYear, where: {id: {eq: 1}}) { id name fromDate toDate invoiceGroupType schoolYear invoices(where: {open: {neq: 0}}) { invoiceId } }');
  });
});
