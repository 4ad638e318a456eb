import { describe, expect, it } from 'vitest';
import { normalizeIban, paymentRejectionCode, toInvoice } from '../../../src/sources/informat/map.js';
import { WireInvoice } from '../../../src/sources/informat/wire.js';

describe('Informat mapping', () => {
  it('maps a credit note with its related invoice reference and a PDF', () => {
    const wire = WireInvoice.parse({
      invoiceId: '18C80101-4115-4802-9ede-0898db6f6473',
      invoiceType: 'CREDIT_NOTE',
      total: 366.55,
      paid: 0,
      open: -366.55,
      paymentReference: '000100002754',
      paymentReferenceInvoice: '000282332442',
      imageUrl: 'https://blob.example/x.pdf',
      itemGroups: [{ code: 'BOEK', glAccountCode: '700100', total: -366.55, items: [{ description: 'Leesboek', extraName: '', quantity: -1, unitPrice: 366.55, total: -366.55 }] }],
    });
    const inv = toInvoice('ag', wire, null);
    expect(inv.kind).toBe('CREDIT_NOTE');
    expect(inv.open).toEqual({ amount: '-366.55', currency: 'EUR' });
    expect(inv.lines[0]).toMatchObject({ quantity: '-1.00', total: { amount: '-366.55' }, description: 'Leesboek' });
    expect(inv.informat?.relatedPaymentReference?.formatted).toBe('+++000/2823/32442+++');
    expect(inv.documents[0]).toMatchObject({ name: 'creditnote-000100002754.pdf', available: true, download: { kind: 'informat-pdf', ref: '18c80101-4115-4802-9ede-0898db6f6473' } });
  });

  it('normalises Informat IBANs', () => {
    expect(normalizeIban('BE94.0622.1062.4514')).toBe('BE94062210624514');
    expect(normalizeIban('')).toBeNull();
  });

  it('gives each documented payment refusal a stable code', () => {
    expect(paymentRejectionCode(400, 'Invoice – OGM mismatch')).toBe('OGM_MISMATCH');
    expect(paymentRejectionCode(400, 'Invoice not found')).toBe('NOT_BOOKED');
    expect(paymentRejectionCode(400, 'Period not found for 2019-06-09 in deelboek 31')).toBe('PERIOD_NOT_FOUND');
    expect(paymentRejectionCode(400, 'Journal Extern / Extern_Dubieus not found in deelboek 31')).toBe('JOURNAL_NOT_FOUND');
    expect(paymentRejectionCode(400, 'Section Id not found')).toBe('SECTION_NOT_FOUND');
    expect(paymentRejectionCode(403, 'InvoiceId is out of scope')).toBe('FORBIDDEN');
    expect(paymentRejectionCode(400, 'something new')).toBe('UPSTREAM_REJECTED');
  });

  it('refuses wire amounts that are not numbers', () => {
    expect(WireInvoice.safeParse({ invoiceId: '18c80101-4115-4802-9ede-0898db6f6473', invoiceType: 'INVOICE', total: 'a lot' }).success).toBe(false);
  });
});
