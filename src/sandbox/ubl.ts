/**
 * The sandbox's own UBL 2.1 writer (deliberately independent of the gateway's code, so tests do not
 * check the gateway against itself). Produces Peppol BIS Billing 3.0 shaped invoices and credit notes.
 */

export interface UblLine {
  id: string;
  name: string;
  quantity: string;
  unitCode: string;
  unitPrice: string;
  lineTotal: string;
  taxPercent: string;
  taxCategory: string;
}

export interface UblDocument {
  kind: 'Invoice' | 'CreditNote';
  number: string;
  issueDate: string;
  dueDate: string | null;
  currency: string;
  buyerReference: string | null;
  paymentId: string | null;
  supplier: { name: string; identifier: string; vat: string | null; country: string };
  customer: { name: string; identifier: string; country: string };
  lines: UblLine[];
  taxExclusive: string;
  tax: string;
  payable: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function endpoint(identifier: string): string {
  const [scheme, value] = identifier.split(':') as [string, string];
  const icd = scheme.toUpperCase() === 'KT' ? '0196' : scheme;
  return `<cbc:EndpointID schemeID="${esc(icd)}">${esc(value)}</cbc:EndpointID>`;
}

export function writeUbl(d: UblDocument): string {
  const root = d.kind;
  const ns = d.kind === 'Invoice' ? 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2' : 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2';
  const lineTag = d.kind === 'Invoice' ? 'InvoiceLine' : 'CreditNoteLine';
  const qtyTag = d.kind === 'Invoice' ? 'InvoicedQuantity' : 'CreditedQuantity';
  const typeCode = d.kind === 'Invoice' ? '<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>' : '<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>';
  const cur = esc(d.currency);
  const lines = d.lines
    .map(
      (l) => `  <cac:${lineTag}>
    <cbc:ID>${esc(l.id)}</cbc:ID>
    <cbc:${qtyTag} unitCode="${esc(l.unitCode)}">${l.quantity}</cbc:${qtyTag}>
    <cbc:LineExtensionAmount currencyID="${cur}">${l.lineTotal}</cbc:LineExtensionAmount>
    <cac:Item>
      <cbc:Name>${esc(l.name)}</cbc:Name>
      <cac:ClassifiedTaxCategory><cbc:ID>${esc(l.taxCategory)}</cbc:ID><cbc:Percent>${l.taxPercent}</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
    </cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="${cur}">${l.unitPrice}</cbc:PriceAmount></cac:Price>
  </cac:${lineTag}>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<${root} xmlns="${ns}" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
  <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
  <cbc:ID>${esc(d.number)}</cbc:ID>
  <cbc:IssueDate>${d.issueDate}</cbc:IssueDate>
${d.dueDate && d.kind === 'Invoice' ? `  <cbc:DueDate>${d.dueDate}</cbc:DueDate>\n` : ''}  ${typeCode}
  <cbc:DocumentCurrencyCode>${cur}</cbc:DocumentCurrencyCode>
${d.buyerReference ? `  <cbc:BuyerReference>${esc(d.buyerReference)}</cbc:BuyerReference>\n` : ''}  <cac:AccountingSupplierParty><cac:Party>
    ${endpoint(d.supplier.identifier)}
    <cac:PostalAddress><cac:Country><cbc:IdentificationCode>${esc(d.supplier.country)}</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
${d.supplier.vat ? `    <cac:PartyTaxScheme><cbc:CompanyID>${esc(d.supplier.vat)}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>\n` : ''}    <cac:PartyLegalEntity><cbc:RegistrationName>${esc(d.supplier.name)}</cbc:RegistrationName></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    ${endpoint(d.customer.identifier)}
    <cac:PostalAddress><cac:Country><cbc:IdentificationCode>${esc(d.customer.country)}</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
    <cac:PartyLegalEntity><cbc:RegistrationName>${esc(d.customer.name)}</cbc:RegistrationName></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingCustomerParty>
${d.paymentId ? `  <cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode><cbc:PaymentID>${esc(d.paymentId)}</cbc:PaymentID></cac:PaymentMeans>\n` : ''}  <cac:TaxTotal><cbc:TaxAmount currencyID="${cur}">${d.tax}</cbc:TaxAmount></cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="${cur}">${d.taxExclusive}</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="${cur}">${d.taxExclusive}</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="${cur}">${d.payable}</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="${cur}">${d.payable}</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
${lines}
</${root}>
`;
}

/** A small valid PDF, for attachments. */
export { smallPdf as tinyPdf } from './pdf.js';
