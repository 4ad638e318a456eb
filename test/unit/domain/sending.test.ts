import { readFileSync } from 'node:fs';
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
  it('reads the head of the Peppol examples', () => {
    const xml = readFileSync(new URL('../../../../shared/testdata/peppol-examples/base-example.xml', import.meta.url), 'utf8');
    const r = readBusinessDocument(xml);
    expect(r.ok && r.head.root).toBe('Invoice');
    expect(r.ok && r.head.customizationId).toBe('urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0');
    const cn = readBusinessDocument(readFileSync(new URL('../../../../shared/testdata/peppol-examples/base-creditnote-correction.xml', import.meta.url), 'utf8'));
    expect(cn.ok && cn.head.root).toBe('CreditNote');
  });

  it('refuses DTDs (no external entities, no entity expansion) and broken XML', () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Invoice>&e;</Invoice>';
    expect(readBusinessDocument(xxe)).toMatchObject({ ok: false, code: 'DTD_NOT_ALLOWED' });
    expect(readBusinessDocument('<Invoice><a></Invoice>')).toMatchObject({ ok: false, code: 'NOT_XML' });
    expect(readBusinessDocument('x'.repeat(11 * 1024 * 1024))).toMatchObject({ ok: false, code: 'TOO_LARGE' });
  });
});
