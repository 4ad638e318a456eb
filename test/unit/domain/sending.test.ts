import { hasShared, readShared, sharedTestName } from '../../helpers/shared.js';

const EXAMPLES = 'testdata/peppol-examples';
import { describe, expect, it } from 'vitest';
import { readBusinessDocument } from '../../../src/domain/businessDocument.js';
import { decimalNumber, stringifyWithDecimals } from '../../../src/domain/decimalJson.js';
import { computeInvoiceAmounts } from '../../../src/domain/invoiceAmounts.js';

describe('invoice amounts', () => {
  it('rounds per line and sums rounded lines', () => {
    const a = computeInvoiceAmounts([
      { quantity: '3', unitPrice: '0.333', taxPercent: '21' },
      { quantity: '1.5', unitPrice: '19.99', taxPercent: '6' },
    ]);
    expect(a.lines).toEqual([{ taxable: '1.00', tax: '0.21' }, { taxable: '29.99', tax: '1.80' }]);
    expect(a).toMatchObject({ taxable: '30.99', tax: '2.01', payable: '33.00' });
  });

  it('never drifts like floats do', () => {
    const a = computeInvoiceAmounts(Array.from({ length: 10 }, () => ({ quantity: '1', unitPrice: '0.10', taxPercent: '0' })));
    expect(a.payable).toBe('1.00');
  });
});

describe('decimal JSON', () => {
  it('writes decimals as number literals with their scale', () => {
    expect(stringifyWithDecimals({ a: decimalNumber('10.50'), b: 'x', c: [decimalNumber('-0.01')] })).toBe('{"a":10.50,"b":"x","c":[-0.01]}');
    expect(() => decimalNumber('1e5')).toThrow(RangeError);
  });
});

describe('business documents', () => {
  it.skipIf(!hasShared(EXAMPLES))(sharedTestName(EXAMPLES, 'reads the head of the Peppol examples'), () => {
    const xml = readShared(`${EXAMPLES}/base-example.xml`);
    const r = readBusinessDocument(xml);
    expect(r.ok && r.head.root).toBe('Invoice');
    expect(r.ok && r.head.customizationId).toBe('urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0');
    const cn = readBusinessDocument(readShared(`${EXAMPLES}/base-creditnote-correction.xml`));
    expect(cn.ok && cn.head.root).toBe('CreditNote');
  });

  it('refuses DTDs (no external entities, no entity expansion) and broken XML', () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Invoice>&e;</Invoice>';
    expect(readBusinessDocument(xxe)).toMatchObject({ ok: false, code: 'DTD_NOT_ALLOWED' });
    expect(readBusinessDocument('<Invoice><a></Invoice>')).toMatchObject({ ok: false, code: 'NOT_XML' });
    expect(readBusinessDocument('x'.repeat(11 * 1024 * 1024))).toMatchObject({ ok: false, code: 'TOO_LARGE' });
  });
});

describe('safe XML', () => {
  it('refuses deep nesting, characters XML forbids and entity declarations, and rewrites another declared encoding to UTF-8', async () => {
    const { readXml } = await import('../../../src/domain/safeXml.js');
    const read = (xml: string) => readXml(xml, { maxBytes: 1_000_000, what: 'document' });
    expect(read(`<r>${'<a>'.repeat(101)}${'</a>'.repeat(101)}</r>`)).toMatchObject({ ok: false, code: 'TOO_DEEP' });
    expect(read(`<r>${'<a>'.repeat(98)}${'</a>'.repeat(98)}</r>`)).toMatchObject({ ok: true });
    expect(read('<r>a\u0000b</r>')).toMatchObject({ ok: false, code: 'NOT_XML' });
    expect(read('<r>\uD800</r>')).toMatchObject({ ok: false, code: 'NOT_XML' });
    expect(read('<r>😀</r>')).toMatchObject({ ok: true });
    expect(read('<!DOCTYPE r [<!ENTITY a "b">]><r>&a;</r>')).toMatchObject({ ok: false, code: 'DTD_NOT_ALLOWED' });
    const latin = read("<?xml version='1.0' encoding='ISO-8859-1'?><r>Café</r>");
    expect(latin.ok && latin.text).toBe("<?xml version='1.0' encoding='UTF-8'?><r>Café</r>");
  });
});

describe('invoice rules', () => {
  it('names the field of each broken rule', async () => {
    const { checkLines, checkInvoiceHead } = await import('../../../src/domain/sendInput.js');
    const errors: { field: string[] | null }[] = [];
    const line = { description: 'x', quantity: '1', unitPrice: '1', taxPercent: '21' };
    checkLines([{ ...line }, { ...line, taxPercent: '100.001' }, { ...line, taxCategory: 'E', taxPercent: '6' }, { ...line, unitCode: 'c62' }, { ...line, unitPrice: '-1' }], errors as never);
    checkInvoiceHead({ number: 'A', issueDate: '2026-02-01', dueDate: '2026-01-31' }, errors as never);
    expect(errors.map((e) => e.field!.join('.'))).toEqual(['input.lines.1.taxPercent', 'input.lines.2.taxPercent', 'input.lines.2.taxExemptionReason', 'input.lines.3.unitCode', 'input.lines.4.unitPrice', 'input.dueDate']);
  });
});
