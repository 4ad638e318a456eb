import Big from 'big.js';
import { computeEn16931Amounts, type En16931Amounts } from './invoiceAmounts.js';
import { normalizeOgm } from './ogm.js';
import type { CheckedParty, InvoiceInputModel } from './sendInput.js';

/**
 * A Peppol BIS Billing 3.0 UBL invoice or credit note from the unified input: seller and buyer with
 * their Peppol endpoints, lines, document allowances, the VAT breakdown per category and rate, totals
 * with EN16931 rounding (`computeEn16931Amounts`), payment means with the OGM as `PaymentID`, and the
 * PDF as an `AdditionalDocumentReference`. Elements follow the UBL 2.1 sequence, which the XSD and the
 * schematron both rely on. The official rules are run against this output in the tests.
 */

export const PEPPOL_BIS3 = {
  customizationId: 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0',
  profileId: 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0',
} as const;

const NS = {
  INVOICE: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  CREDIT_NOTE: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
};

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** EN16931 knows one standard-rate category for every non-zero rate: the input's AA (reduced) is S. */
export const en16931Category = (c: string) => (c.toUpperCase() === 'AA' ? 'S' : c.toUpperCase());

/** Default exemption texts for the categories that need one (BR-E-10, BR-O-10). */
const EXEMPTION: Record<string, string> = { E: 'Exempt from VAT', O: 'Not subject to VAT' };

function taxCategory(tag: 'TaxCategory' | 'ClassifiedTaxCategory', category: string, percent: string, reason: string | null = null): string {
  // Category O carries no rate (BR-O-05 and friends); every other one does.
  const rate = category === 'O' ? '' : `<cbc:Percent>${percent}</cbc:Percent>`;
  const why = tag === 'TaxCategory' && (category === 'E' || category === 'O') ? `<cbc:TaxExemptionReason>${esc(reason ?? EXEMPTION[category]!)}</cbc:TaxExemptionReason>` : '';
  return `<cac:${tag}><cbc:ID>${category}</cbc:ID>${rate}${why}<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:${tag}>`;
}

function party(p: CheckedParty, role: 'AccountingSupplierParty' | 'AccountingCustomerParty'): string {
  const endpoint = p.ids[0]!;
  const kbo = p.ids.find((i) => i.scheme === '0208')?.value;
  const address = [
    p.street ? `<cbc:StreetName>${esc(p.street)}</cbc:StreetName>` : '',
    p.city ? `<cbc:CityName>${esc(p.city)}</cbc:CityName>` : '',
    p.postalCode ? `<cbc:PostalZone>${esc(p.postalCode)}</cbc:PostalZone>` : '',
    `<cac:Country><cbc:IdentificationCode>${esc(p.countryCode)}</cbc:IdentificationCode></cac:Country>`,
  ].join('');
  return `  <cac:${role}>
    <cac:Party>
      <cbc:EndpointID schemeID="${esc(endpoint.scheme)}">${esc(endpoint.value)}</cbc:EndpointID>
      <cac:PartyName><cbc:Name>${esc(p.name)}</cbc:Name></cac:PartyName>
      <cac:PostalAddress>${address}</cac:PostalAddress>
${p.vatNumber ? `      <cac:PartyTaxScheme><cbc:CompanyID>${esc(p.vatNumber)}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>\n` : ''}      <cac:PartyLegalEntity><cbc:RegistrationName>${esc(p.name)}</cbc:RegistrationName>${kbo ? `<cbc:CompanyID schemeID="0208">${kbo}</cbc:CompanyID>` : ''}</cac:PartyLegalEntity>
${p.email ? `      <cac:Contact><cbc:ElectronicMail>${esc(p.email)}</cbc:ElectronicMail></cac:Contact>\n` : ''}    </cac:Party>
  </cac:${role}>`;
}

/** The amounts the document will carry, for callers that show them before sending. */
export const amountsOf = (invoice: InvoiceInputModel): En16931Amounts =>
  computeEn16931Amounts(
    invoice.lines.map((l) => ({ quantity: l.quantity, unitPrice: l.unitPrice, taxPercent: l.taxPercent, taxCategory: en16931Category(l.taxCategory) })),
    invoice.allowances.map((a) => ({ ...a, taxCategory: en16931Category(a.taxCategory) })),
  );

export function writePeppolInvoice(invoice: InvoiceInputModel): string {
  const credit = invoice.kind === 'CREDIT_NOTE';
  const root = credit ? 'CreditNote' : 'Invoice';
  const lineTag = credit ? 'CreditNoteLine' : 'InvoiceLine';
  const qtyTag = credit ? 'CreditedQuantity' : 'InvoicedQuantity';
  const cur = esc(invoice.currency);
  const money = (tag: string, amount: string) => `<cbc:${tag} currencyID="${cur}">${amount}</cbc:${tag}>`;
  const a = amountsOf(invoice);
  // Exemption reasons come from the lines of the category (the first one given).
  const reasonOf = (category: string) => invoice.lines.find((l) => en16931Category(l.taxCategory) === category && l.exemptionReason)?.exemptionReason ?? null;
  const ogm = invoice.paymentReference ? normalizeOgm(invoice.paymentReference) : null;
  const paymentId = ogm ?? invoice.paymentReference;
  const iban = invoice.seller.iban;

  const head = [
    `  <cbc:CustomizationID>${PEPPOL_BIS3.customizationId}</cbc:CustomizationID>`,
    `  <cbc:ProfileID>${PEPPOL_BIS3.profileId}</cbc:ProfileID>`,
    `  <cbc:ID>${esc(invoice.number)}</cbc:ID>`,
    `  <cbc:IssueDate>${invoice.issueDate}</cbc:IssueDate>`,
    !credit && invoice.dueDate ? `  <cbc:DueDate>${invoice.dueDate}</cbc:DueDate>` : '',
    credit ? '  <cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>' : '  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>',
    `  <cbc:DocumentCurrencyCode>${cur}</cbc:DocumentCurrencyCode>`,
    invoice.buyerReference ? `  <cbc:BuyerReference>${esc(invoice.buyerReference)}</cbc:BuyerReference>` : '',
    invoice.orderReference ? `  <cac:OrderReference><cbc:ID>${esc(invoice.orderReference)}</cbc:ID></cac:OrderReference>` : '',
    invoice.pdf
      ? `  <cac:AdditionalDocumentReference><cbc:ID>${esc(invoice.number)}</cbc:ID><cbc:DocumentDescription>${credit ? 'Credit note' : 'Invoice'} ${esc(invoice.number)} (PDF)</cbc:DocumentDescription><cac:Attachment><cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf" filename="${esc(invoice.number.replace(/[^A-Za-z0-9._-]/g, '_'))}.pdf">${invoice.pdf}</cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference>`
      : '',
  ];
  // Credit transfer (30) when there is an account to pay into (BR-61); otherwise the reference alone.
  const paymentMeans =
    iban || paymentId || (!credit && invoice.dueDate)
      ? `  <cac:PaymentMeans><cbc:PaymentMeansCode>${iban ? '30' : '1'}</cbc:PaymentMeansCode>${credit && invoice.dueDate ? `<cbc:PaymentDueDate>${invoice.dueDate}</cbc:PaymentDueDate>` : ''}${paymentId ? `<cbc:PaymentID>${esc(paymentId)}</cbc:PaymentID>` : ''}${iban ? `<cac:PayeeFinancialAccount><cbc:ID>${iban}</cbc:ID></cac:PayeeFinancialAccount>` : ''}</cac:PaymentMeans>`
      : '';
  const allowances = invoice.allowances.map((al) => {
    const category = en16931Category(al.taxCategory);
    return `  <cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator><cbc:AllowanceChargeReason>${esc(al.reason)}</cbc:AllowanceChargeReason>${money('Amount', new Big(al.amount).toFixed(2))}${taxCategory('TaxCategory', category, String(Number(al.taxPercent)))}</cac:AllowanceCharge>`;
  });
  const taxTotal = `  <cac:TaxTotal>
    ${money('TaxAmount', a.tax)}
${a.breakdown.map((b) => `    <cac:TaxSubtotal>${money('TaxableAmount', b.taxable)}${money('TaxAmount', b.tax)}${taxCategory('TaxCategory', b.category, b.percent, reasonOf(b.category))}</cac:TaxSubtotal>`).join('\n')}
  </cac:TaxTotal>`;
  const totals = `  <cac:LegalMonetaryTotal>${money('LineExtensionAmount', a.lineTotal)}${money('TaxExclusiveAmount', a.taxExclusive)}${money('TaxInclusiveAmount', a.taxInclusive)}${invoice.allowances.length ? money('AllowanceTotalAmount', a.allowanceTotal) : ''}${money('PayableAmount', a.payable)}</cac:LegalMonetaryTotal>`;
  const lines = invoice.lines.map((l, i) => {
    const category = en16931Category(l.taxCategory);
    return `  <cac:${lineTag}>
    <cbc:ID>${i + 1}</cbc:ID>
    <cbc:${qtyTag} unitCode="${esc(l.unitCode)}">${l.quantity}</cbc:${qtyTag}>
    ${money('LineExtensionAmount', a.lines[i]!)}
    <cac:Item><cbc:Name>${esc(l.description.slice(0, 200))}</cbc:Name>${l.itemNumber ? `<cac:SellersItemIdentification><cbc:ID>${esc(l.itemNumber)}</cbc:ID></cac:SellersItemIdentification>` : ''}${taxCategory('ClassifiedTaxCategory', category, String(Number(l.taxPercent)))}</cac:Item>
    <cac:Price>${money('PriceAmount', l.unitPrice)}</cac:Price>
  </cac:${lineTag}>`;
  });

  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<${root} xmlns="${credit ? NS.CREDIT_NOTE : NS.INVOICE}" xmlns:cac="${NS.cac}" xmlns:cbc="${NS.cbc}">`,
    ...head.filter(Boolean),
    party(invoice.seller, 'AccountingSupplierParty'),
    party(invoice.buyer, 'AccountingCustomerParty'),
    paymentMeans,
    ...allowances,
    taxTotal,
    totals,
    ...lines,
    `</${root}>`,
    '',
  ].filter((x) => x !== '').join('\n');
}
