/**
 * Files the CodaBox sandbox hands out, made by the sandbox itself: CODA text in the bank format
 * (128-character records), CODA+ XML as the document's XSD describes, SODA XML, UBL and small PDFs.
 */

const pad = (s: string | number, n: number, c = ' ') => String(s).slice(0, n).padEnd(n, c);
const num = (s: string | number, n: number) => String(s).padStart(n, '0').slice(-n);
const yymmdd = (iso: string) => iso.slice(8, 10) + iso.slice(5, 7) + iso.slice(2, 4);

export interface CodaMovement {
  amount: number;
  valueDate: string;
  counterpartyName: string;
  counterpartyIban: string;
  communication: string;
  /** 12 OGM digits: written as a structured (type 101) communication. */
  ogm?: string;
}

/** A CODA 2 file: header, old balance, movements (21/22/23), new balance, trailer. */
export function codaFile(opts: { iban: string; bic: string; holder: string; date: string; statement: number; oldBalance: number; movements: CodaMovement[] }): string {
  const cents = (v: number) => num(Math.round(Math.abs(v) * 1000), 15);
  const lines: string[] = [];
  lines.push(pad(`0000${yymmdd(opts.date)}00005        00000000000${pad(opts.holder, 26)}${pad(opts.bic, 11)}00000000000 00000${' '.repeat(16)}2`, 128));
  lines.push(pad(`12${num(opts.statement, 3)}${pad(opts.iban, 34)}EUR${opts.oldBalance < 0 ? 1 : 0}${cents(opts.oldBalance)}${yymmdd(opts.date)}${pad(opts.holder, 26)}${pad('Compte courant', 35)}${num(opts.statement, 3)}`, 128));
  let total = opts.oldBalance;
  let debit = 0;
  let credit = 0;
  opts.movements.forEach((m, i) => {
    total += m.amount;
    if (m.amount < 0) debit += -m.amount;
    else credit += m.amount;
    const comm = m.ogm ? `1101${m.ogm}${' '.repeat(41)}` : `0${pad(m.communication, 53)}`;
    lines.push(pad(`21${num(i + 1, 4)}0000${pad('REF' + num(i + 1, 18), 21)}${m.amount < 0 ? 1 : 0}${cents(m.amount)}${yymmdd(m.valueDate)}00150000${comm}${yymmdd(m.valueDate)}${num(opts.statement, 3)}010`, 127) + '1');
    lines.push(pad(`22${num(i + 1, 4)}0000${' '.repeat(53)}${' '.repeat(35)}${pad('GEBABEBB', 11)}`, 127) + '1');
    lines.push(pad(`23${num(i + 1, 4)}0000${pad(m.counterpartyIban, 37)}${pad(m.counterpartyName, 35)}`, 128));
  });
  lines.push(pad(`8${num(opts.statement, 3)}${pad(opts.iban, 37)}${total < 0 ? 1 : 0}${cents(total)}${yymmdd(opts.date)}`, 128));
  lines.push(pad(`9${' '.repeat(15)}${num(lines.length - 1, 6)}${cents(debit)}${cents(credit)}`, 127) + '2');
  return lines.join('\r\n') + '\r\n';
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export interface CodaPlusPayment {
  statement: number;
  seq: number;
  name: string;
  account: string;
  amount: string;
  valueDate: string;
  communication: string;
}

/** CODA+ XML, per the document's codaPLUS_V1.0.xsd. */
export function codaPlusXml(o: { fiduciary: string; client: string; account: string; oldBalance: [string, string, number]; newBalance: [string, string, number]; payments: CodaPlusPayment[] }): string {
  const payments = o.payments
    .map(
      (p) => `    <Payment>
      <StatementNumber>${p.statement}</StatementNumber>
      <MovSeqNum>${p.seq}</MovSeqNum>
      <DetailNum>0</DetailNum>
      <Counterparty>
        <Name>${esc(p.name)}</Name>
        <BankAccount>${esc(p.account)}</BankAccount>
      </Counterparty>
      <Amount>${p.amount}</Amount>
      <Currency>EUR</Currency>
      <ValueDate>${p.valueDate}</ValueDate>
      <Communication>${esc(p.communication)}</Communication>
      <TransactionCode>
        <Code>50</Code>
        <Description>Transfer in your favour</Description>
        <TransactionFamilyCode>01</TransactionFamilyCode>
        <TransactionFamilyDescription>Domestic or local SEPA credit transfers</TransactionFamilyDescription>
      </TransactionCode>
    </Payment>`,
    )
    .join('\n');
  return `<?xml version='1.0' encoding='utf-8'?>
<Statement xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="codaPLUS_V1.0.xsd">
  <Version>1.0</Version>
  <Fiduciary>${o.fiduciary}</Fiduciary>
  <FiduciaryClient>${o.client}</FiduciaryClient>
  <ClientAccount>${o.account}</ClientAccount>
  <OldBalance>
    <Value>${o.oldBalance[0]}</Value>
    <Date>${o.oldBalance[1]}</Date>
    <StatementNumber>${o.oldBalance[2]}</StatementNumber>
  </OldBalance>
  <NewBalance>
    <Value>${o.newBalance[0]}</Value>
    <Date>${o.newBalance[1]}</Date>
    <StatementNumber>${o.newBalance[2]}</StatementNumber>
  </NewBalance>
  <PaymentList>
${payments}
  </PaymentList>
</Statement>
`;
}

export function sodaXml(m: { vat_number: string; social_welfare_id: string; accounting_period: string; file_counter: string; creation_date: string }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<SocialDocument>
  <Sender>${esc(m.social_welfare_id)}</Sender>
  <Employer>${esc(m.vat_number)}</Employer>
  <AccountingPeriod>${m.accounting_period}</AccountingPeriod>
  <FileCounter>${m.file_counter}</FileCounter>
  <CreationDate>${m.creation_date}</CreationDate>
  <Entries><Entry><Account>620200</Account><Amount>2500.00</Amount><Description>Salaires</Description></Entry></Entries>
</SocialDocument>
`;
}

export function invoiceUbl(m: { invoice_reference: string; invoice_date: string; invoice_due_date: string | null; invoice_amount: string; invoice_currency: string; ubl_type: string; supplier?: string; payment_reference?: string | null }): string {
  const root = m.ubl_type === 'credit-note' ? 'CreditNote' : 'Invoice';
  return `<?xml version="1.0" encoding="UTF-8"?>
<${root} xmlns="urn:oasis:names:specification:ubl:schema:xsd:${root}-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
  <cbc:ID>${esc(m.invoice_reference)}</cbc:ID>
  <cbc:IssueDate>${m.invoice_date}</cbc:IssueDate>
${m.invoice_due_date ? `  <cbc:DueDate>${m.invoice_due_date}</cbc:DueDate>\n` : ''}  <cbc:DocumentCurrencyCode>${m.invoice_currency}</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty><cac:Party><cac:PartyLegalEntity><cbc:RegistrationName>${esc(m.supplier ?? 'Supplier')}</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party></cac:AccountingSupplierParty>
${m.payment_reference ? `  <cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode><cbc:PaymentID>${esc(m.payment_reference)}</cbc:PaymentID></cac:PaymentMeans>\n` : ''}  <cac:LegalMonetaryTotal><cbc:PayableAmount currencyID="${m.invoice_currency}">${m.invoice_amount}</cbc:PayableAmount></cac:LegalMonetaryTotal>
</${root}>
`;
}

export { smallPdf as pdfBytes } from '../pdf.js';
import { streamedPdf } from '../pdf.js';

/** A PDF of `size` bytes produced while it is sent, for large-download tests and benchmarks. */
export const largePdf = (size: number) => streamedPdf(size, 'CodaBox large document');
