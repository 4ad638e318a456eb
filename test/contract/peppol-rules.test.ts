import Big from 'big.js';
import { beforeAll, expect, it } from 'vitest';
import { parsePartyIdentifier } from '../../src/domain/identifiers.js';
import { amountsOf, writePeppolInvoice } from '../../src/domain/peppolUbl.js';
import type { CheckedParty, InvoiceInputModel } from '../../src/domain/sendInput.js';
import { readUblInvoice } from '../../src/domain/ublInvoiceReader.js';
import { smallPdf } from '../../src/sandbox/pdf.js';
import { loadRules, type Rules } from '../helpers/schematron.js';
import { describeWithShared } from '../helpers/shared.js';

/**
 * The UBL the gateway writes for Ibanity, checked with the official rules: the Peppol BIS Billing 3.0
 * schematron and the CEN EN16931 rules (../shared/validation-artefacts), run with SaxonJS.
 */

const party = (id: string, name: string, vat: string | null, more: Partial<CheckedParty> = {}): CheckedParty => ({ ids: parsePartyIdentifier(id)!, name, vatNumber: vat, street: 'Veldstraat 12', postalCode: '9000', city: 'Gent', countryCode: 'BE', email: null, iban: null, ...more });
const line = (description: string, quantity: string, unitPrice: string, taxPercent: string, taxCategory = 'S', exemptionReason: string | null = null) => ({ itemNumber: null, description, quantity, unitCode: 'C62', unitPrice, taxPercent, taxCategory, exemptionReason });

const base: InvoiceInputModel = {
  kind: 'INVOICE', number: 'INV-2026-0042', issueDate: '2026-11-02', dueDate: '2026-12-02', currency: 'EUR', buyerReference: 'PO-77', orderReference: 'ORD-9',
  seller: party('0208:0739484052', 'Brouwerij Sandbox BV', 'BE0739484052', { iban: 'BE71096123456769', email: 'finance@brouwerij.example' }),
  buyer: party('BE0840559537', 'Peppol Test Receiver NV', 'BE0840559537', { city: 'Brussel', postalCode: '1000' }),
  lines: [line('Vat bier 50 l', '3', '10.333', '21'), line('Boek over bier', '1', '19.99', '6', 'AA'), line('Leeggoed', '2', '0.10', '0', 'Z'), line('Glazen', '7', '1.255', '21')],
  allowances: [{ reason: 'Trouwe klant', amount: '2.50', taxPercent: '21', taxCategory: 'S' }],
  paymentReference: '+++090/9337/55493+++',
  pdf: smallPdf('Invoice INV-2026-0042').toString('base64'),
};

const CASES: [string, InvoiceInputModel][] = [
  ['an invoice with 21 %, 6 % and a zero-rated line, an allowance, a PDF and an OGM', base],
  ['a credit note with the same', { ...base, kind: 'CREDIT_NOTE', number: 'CN-2026-0007' }],
  ['an invoice with an exempt line and no account', { ...base, number: 'INV-2026-0043', seller: { ...base.seller, iban: null }, lines: [...base.lines, line('Opleiding', '1', '250', '0', 'E', 'Vrijgesteld art. 44 WBTW')] }],
  ['a one-line invoice without allowance, PDF or payment reference', { ...base, number: 'INV-2026-0044', allowances: [], pdf: null, paymentReference: null, lines: [line('Consultancy', '7.5', '95', '21')] }],
];

describeWithShared('validation-artefacts/peppol/PEPPOL-EN16931-UBL.sch', 'UBL written for Peppol passes the official rules', () => {
  let rules: Rules;
  beforeAll(async () => {
    rules = await loadRules();
  }, 180_000);

  for (const [name, input] of CASES) {
    it(`${name}: no fatal assertion, and its totals read back exactly`, async () => {
      const xml = writePeppolInvoice(input);
      expect(await rules.check(xml)).toEqual([]);
      const read = readUblInvoice(xml);
      if (!read.ok) throw new Error(read.message);
      const want = amountsOf(input);
      expect(read.invoice.totals).toMatchObject({ lineTotal: want.lineTotal, taxExclusive: want.taxExclusive, taxInclusive: want.taxInclusive, allowanceTotal: input.allowances.length ? want.allowanceTotal : null, tax: want.tax, payable: want.payable });
      // The breakdown adds up: per rate, VAT is its taxable amount times the rate, rounded once (BR-CO-17).
      for (const v of read.invoice.vat) expect(new Big(v.taxable).times(v.percent ?? 0).div(100).round(2, Big.roundHalfUp).toFixed(2)).toBe(v.tax);
      expect(read.invoice.lines.map((l) => l.total)).toEqual(want.lines);
      if (input.paymentReference) expect(read.invoice.paymentId).toBe('090933755493');
      if (input.pdf) expect(read.invoice.attachments).toEqual([{ filename: `${input.number}.pdf`, mimeCode: 'application/pdf', bytes: Buffer.from(input.pdf, 'base64').length }]);
    }, 60_000);
  }

  it('the rules are not blind: a wrong total, a bad enterprise number and a missing buyer reference are each caught', async () => {
    const xml = writePeppolInvoice(base);
    const ids = async (doc: string) => new Set((await rules.check(doc)).map((f) => f.id));
    expect(await ids(xml.replace(/<cbc:PayableAmount currencyID="EUR">[^<]+</, '<cbc:PayableAmount currencyID="EUR">1.00<'))).toContain('BR-CO-16');
    expect(await ids(xml.replaceAll('0739484052', '0739484059'))).toContain('PEPPOL-COMMON-R043');
    expect(await ids(writePeppolInvoice({ ...base, buyerReference: null, orderReference: null }))).toContain('PEPPOL-EN16931-R003');
  }, 60_000);
});
