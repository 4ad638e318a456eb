import Big from 'big.js';
import { normalizeEnterpriseNumber } from './identifiers.js';
import { isValidOgm, normalizeOgm } from './ogm.js';
import { readUblInvoice, type UblInvoice } from './ublInvoiceReader.js';

/**
 * The gateway's built-in checks of a UBL invoice or credit note, in TypeScript with no external
 * files: the ones senders break most. They are a subset of the official rules, with the official rule
 * ids where there is one:
 * - reading it safely (no DTD or entities, size and depth limits) and its root;
 * - the mandatory business terms BR-01 to BR-16;
 * - the calculation rules BR-CO-10 to BR-CO-17, with exact decimals;
 * - the VAT category rules on rates, taxable amounts and exemption reasons (BR-S/Z/E/O);
 * - Peppol's buyer or order reference (PEPPOL-EN16931-R003) and Belgian enterprise numbers under 0208
 *   (PEPPOL-COMMON-R043);
 * - the gateway's own Belgian checks: the 9925 VAT form (`BE-VAT-9925`) and an OGM in PaymentID (`BE-OGM`).
 */

export interface RuleIssue {
  severity: 'ERROR' | 'WARNING';
  rule: string;
  message: string;
  location: string | null;
}

export type RuleReport = { invoice: UblInvoice | null; issues: RuleIssue[] };

const CATEGORIES = new Set(['S', 'Z', 'E', 'AE', 'K', 'G', 'O', 'L', 'M', 'B']);

const dec = (v: string | null | undefined): Big | null => {
  if (v === null || v === undefined || !/^-?\d+(\.\d+)?$/.test(v.trim())) return null;
  return new Big(v.trim());
};
const sum = (values: (string | null)[]) => values.reduce((s, v) => s.plus(dec(v) ?? 0), new Big(0));
const same = (a: Big, b: Big) => a.eq(b);

export function checkUblDocument(xml: string): RuleReport {
  const read = readUblInvoice(xml);
  if (!read.ok) return { invoice: null, issues: [{ severity: 'ERROR', rule: 'UBL-READ', message: read.message, location: null }] };
  const u = read.invoice;
  const issues: RuleIssue[] = [];
  const error = (rule: string, message: string, location: string | null = null) => issues.push({ severity: 'ERROR', rule, message, location });
  const root = u.kind === 'INVOICE' ? '/Invoice' : '/CreditNote';

  // Mandatory business terms.
  const required: [string, unknown, string, string][] = [
    ['BR-01', u.customizationId, 'Specification identifier (BT-24, CustomizationID)', 'cbc:CustomizationID'],
    ['BR-02', u.number, 'Invoice number (BT-1, ID)', 'cbc:ID'],
    ['BR-03', u.issueDate, 'Issue date (BT-2)', 'cbc:IssueDate'],
    ['BR-04', u.typeCode, 'Invoice type code (BT-3)', u.kind === 'INVOICE' ? 'cbc:InvoiceTypeCode' : 'cbc:CreditNoteTypeCode'],
    ['BR-05', u.currency, 'Invoice currency code (BT-5)', 'cbc:DocumentCurrencyCode'],
    ['BR-06', u.seller.legalName, "Seller's legal name (BT-27)", 'cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName'],
    ['BR-07', u.buyer.legalName, "Buyer's legal name (BT-44)", 'cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName'],
    ['BR-08', u.seller.hasAddress || null, "Seller's postal address (BG-5)", 'cac:AccountingSupplierParty/cac:Party/cac:PostalAddress'],
    ['BR-09', u.seller.countryCode, "Seller's country code (BT-40)", 'cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode'],
    ['BR-10', u.buyer.hasAddress || null, "Buyer's postal address (BG-8)", 'cac:AccountingCustomerParty/cac:Party/cac:PostalAddress'],
    ['BR-11', u.buyer.countryCode, "Buyer's country code (BT-55)", 'cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode'],
    ['BR-12', u.totals.lineTotal, 'Sum of invoice line net amounts (BT-106)', 'cac:LegalMonetaryTotal/cbc:LineExtensionAmount'],
    ['BR-13', u.totals.taxExclusive, 'Invoice total without VAT (BT-109)', 'cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount'],
    ['BR-14', u.totals.taxInclusive, 'Invoice total with VAT (BT-112)', 'cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount'],
    ['BR-15', u.totals.payable, 'Amount due for payment (BT-115)', 'cac:LegalMonetaryTotal/cbc:PayableAmount'],
    ['BR-16', u.lines.length || null, 'At least one invoice line (BG-25)', u.kind === 'INVOICE' ? 'cac:InvoiceLine' : 'cac:CreditNoteLine'],
  ];
  for (const [rule, value, what, path] of required) if (value === null || value === undefined || value === '') error(rule, `${what} is missing.`, `${root}/${path}`);

  // Calculation rules, on exact decimals.
  const t = u.totals;
  const lineTotal = dec(t.lineTotal);
  const lines = sum(u.lines.map((l) => l.total));
  const allowances = sum(u.allowanceCharges.filter((a) => !a.charge).map((a) => a.amount));
  const charges = sum(u.allowanceCharges.filter((a) => a.charge).map((a) => a.amount));
  const money = `${root}/cac:LegalMonetaryTotal`;
  if (lineTotal && !same(lineTotal, lines)) error('BR-CO-10', `Sum of line net amounts is ${lines.toFixed(2)}, the document says ${t.lineTotal}.`, `${money}/cbc:LineExtensionAmount`);
  if ((t.allowanceTotal !== null || u.allowanceCharges.some((a) => !a.charge)) && !same(dec(t.allowanceTotal) ?? new Big(0), allowances)) error('BR-CO-11', `Sum of allowances is ${allowances.toFixed(2)}, the document says ${t.allowanceTotal ?? 'none'}.`, `${money}/cbc:AllowanceTotalAmount`);
  if ((t.chargeTotal || u.allowanceCharges.some((a) => a.charge)) && !same(dec(t.chargeTotal) ?? new Big(0), charges)) error('BR-CO-12', `Sum of charges is ${charges.toFixed(2)}, the document says ${t.chargeTotal ?? 'none'}.`, `${money}/cbc:ChargeTotalAmount`);
  const taxExclusive = dec(t.taxExclusive);
  if (lineTotal && taxExclusive) {
    const want = lineTotal.minus(dec(t.allowanceTotal) ?? 0).plus(dec(t.chargeTotal) ?? 0);
    if (!same(taxExclusive, want)) error('BR-CO-13', `Total without VAT should be ${want.toFixed(2)} (lines − allowances + charges), the document says ${t.taxExclusive}.`, `${money}/cbc:TaxExclusiveAmount`);
  }
  const taxTotal = dec(t.tax);
  const subtotals = sum(u.vat.map((v) => v.tax));
  if (taxTotal && u.vat.length && !same(taxTotal, subtotals)) error('BR-CO-14', `Sum of the VAT breakdown is ${subtotals.toFixed(2)}, the total VAT says ${t.tax}.`, `${root}/cac:TaxTotal/cbc:TaxAmount`);
  const taxInclusive = dec(t.taxInclusive);
  if (taxExclusive && taxInclusive) {
    const want = taxExclusive.plus(taxTotal ?? 0);
    if (!same(taxInclusive, want)) error('BR-CO-15', `Total with VAT should be ${want.toFixed(2)}, the document says ${t.taxInclusive}.`, `${money}/cbc:TaxInclusiveAmount`);
  }
  const payable = dec(t.payable);
  if (taxInclusive && payable) {
    const want = taxInclusive.minus(dec(t.prepaid ?? null) ?? 0).plus(dec(t.rounding ?? null) ?? 0);
    if (!same(payable, want)) error('BR-CO-16', `Amount due should be ${want.toFixed(2)} (total with VAT − prepaid + rounding), the document says ${t.payable}.`, `${money}/cbc:PayableAmount`);
  }
  for (const [i, v] of u.vat.entries()) {
    const taxable = dec(v.taxable);
    const rate = dec(v.percent);
    const at = `${root}/cac:TaxTotal/cac:TaxSubtotal[${i + 1}]`;
    if (taxable && rate && dec(v.tax)) {
      const want = taxable.times(rate).div(100).round(2, Big.roundHalfUp);
      // A warning, as in the CEN rules: rounding conventions differ, the totals' rules are the fatal ones.
      if (!want.eq(dec(v.tax)!)) issues.push({ severity: 'WARNING', rule: 'BR-CO-17', message: `VAT of category ${v.category} at ${v.percent} % on ${v.taxable} is ${want.toFixed(2)}, the document says ${v.tax}.`, location: at });
    }
    const cat = v.category ?? '';
    if (!CATEGORIES.has(cat)) error('BR-CL-18', `VAT category ${cat || '(none)'} is not one of UNCL5305's codes EN16931 allows.`, at);
    // Taxable amount per category and rate: its lines' nets, less its allowances, plus its charges.
    const sameRate = (p: string | null) => (dec(p) ?? new Big(0)).eq(rate ?? 0);
    const want = sum(u.lines.filter((l) => l.taxCategory === cat && sameRate(l.taxPercent)).map((l) => l.total))
      .minus(sum(u.allowanceCharges.filter((a) => !a.charge && a.category === cat && sameRate(a.percent)).map((a) => a.amount)))
      .plus(sum(u.allowanceCharges.filter((a) => a.charge && a.category === cat && sameRate(a.percent)).map((a) => a.amount)));
    if (taxable && CATEGORIES.has(cat) && !taxable.eq(want)) error(`BR-${cat}-08`, `Taxable amount of category ${cat} at ${v.percent ?? 0} % should be ${want.toFixed(2)} (its lines − allowances + charges), the document says ${v.taxable}.`, at);
    if ((cat === 'E' || cat === 'AE' || cat === 'O') && !v.exemptionReason) error(`BR-${cat}-10`, `Category ${cat} needs an exemption reason (BT-120 or BT-121).`, at);
  }
  for (const [i, l] of u.lines.entries()) {
    const rate = dec(l.taxPercent);
    const at = `${root}/cac:${u.kind === 'INVOICE' ? 'InvoiceLine' : 'CreditNoteLine'}[${i + 1}]/cac:Item/cac:ClassifiedTaxCategory`;
    if ((l.taxCategory === 'Z' || l.taxCategory === 'E') && rate && !rate.eq(0)) error(`BR-${l.taxCategory}-05`, `A line of category ${l.taxCategory} has the rate 0, not ${l.taxPercent}.`, at);
    if (l.taxCategory === 'S' && (!rate || rate.lte(0))) error('BR-S-05', 'A line of category S has a rate above 0.', at);
  }

  // Peppol and Belgian identifiers.
  const isPeppol = /peppol\.eu:2017:poacc:billing/.test(u.customizationId ?? '');
  if (isPeppol && !u.buyerReference && !u.orderReference) error('PEPPOL-EN16931-R003', 'A buyer reference or an order reference is required.', `${root}/cbc:BuyerReference`);
  for (const [role, party] of [['Seller', u.seller], ['Buyer', u.buyer]] as const) {
    for (const id of party.schemedIds) {
      const where = `${root}/cac:${role === 'Seller' ? 'AccountingSupplierParty' : 'AccountingCustomerParty'}/cac:Party/${id.where}`;
      if (id.scheme === '0208' && !(/^[01]\d{9}$/.test(id.value) && normalizeEnterpriseNumber(id.value) === id.value)) {
        error('PEPPOL-COMMON-R043', `${role} identifier 0208:${id.value} is not a Belgian enterprise number (10 digits starting 0 or 1, check digits 97 − first 8 mod 97).`, where);
      }
      if (id.scheme === '9925' && !(/^BE[01]\d{9}$/i.test(id.value) && normalizeEnterpriseNumber(id.value.slice(2)) === id.value.slice(2))) {
        issues.push({ severity: 'ERROR', rule: 'BE-VAT-9925', message: `${role} identifier 9925:${id.value} is not a Belgian VAT number (BE and 10 digits with valid check digits).`, location: where });
      }
    }
  }
  if (u.paymentId) {
    const digits = normalizeOgm(u.paymentId);
    // Twelve digits are read as an OGM: a wrong check digit means the payment will not be matched.
    if (digits && !isValidOgm(digits)) issues.push({ severity: 'ERROR', rule: 'BE-OGM', message: `PaymentID ${u.paymentId} looks like a structured communication (OGM) but its check digits are wrong.`, location: `${root}/cac:PaymentMeans/cbc:PaymentID` });
  }
  return { invoice: u, issues };
}
