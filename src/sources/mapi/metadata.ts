import { decimalNumber, type DecimalNumber } from '../../domain/decimalJson.js';
import type { InvoiceAmounts } from '../../domain/invoiceAmounts.js';
import type { CheckedParty, InvoiceInputModel } from '../../domain/sendInput.js';

/** Unified send input -> MAPI transaction metadata (upstream-specs/mapi.md §4). */

const TAX_CATEGORY: Record<string, string> = { S: 'StandardRated', AA: 'ReducedRated', Z: 'ZeroRated', E: 'Exempt', O: 'NotSubjectToVat' };
export const taxCategoryType = (code: string) => TAX_CATEGORY[code.toUpperCase()] ?? null;

const party = (p: CheckedParty) => ({
  name: p.name,
  identifier: p.ids[0]!.iso6523,
  ...(p.vatNumber ? { vatNumber: p.vatNumber } : {}),
  address: {
    ...(p.street ? { streetNameAndNumber: p.street } : {}),
    ...(p.city ? { city: p.city } : {}),
    ...(p.postalCode ? { postalZone: p.postalCode } : {}),
    countryCode: p.countryCode,
  },
  ...(p.email ? { contact: { electronicMail: p.email } } : {}),
});

/** Body of POST /transactions/submit-invoice or correct-with-credit; amounts exact. */
export function toInvoiceTransaction(input: InvoiceInputModel, amounts: InvoiceAmounts, fallbackEmail: string) {
  const lines = input.lines.map((l, i) => ({
    itemNo: l.itemNumber ?? String(i + 1),
    name: l.description,
    quantity: decimalNumber(l.quantity),
    // Rec20 carries the UN/ECE code the caller gave (C62, HUR, KGM, ...).
    unitOfMeasure: { unit: 'Rec20', code: l.unitCode },
    unitPriceAmount: decimalNumber(l.unitPrice),
    taxCategoryType: taxCategoryType(l.taxCategory),
    taxableAmount: decimalNumber(amounts.lines[i]!.taxable),
    taxAmount: decimalNumber(amounts.lines[i]!.tax),
    taxPercentage: decimalNumber(l.taxPercent),
  }));
  const common: Record<string, unknown> = {
    issueDate: input.issueDate,
    ...(input.dueDate ? { dueDate: input.dueDate } : {}),
    currencyCode: input.currency,
    ...(input.buyerReference ? { buyerReference: input.buyerReference } : {}),
    ...(input.orderReference ? { orderReference: { documentNo: input.orderReference } } : {}),
    supplier: party(input.seller),
    customer: party(input.buyer),
    payableAmount: decimalNumber(amounts.payable) as DecimalNumber,
  };
  const messageHandling = { receiverIdentifier: input.buyer.ids[0]!.iso6523, fallbackEmailAddress: fallbackEmail };
  return input.kind === 'INVOICE'
    ? { path: '/transactions/submit-invoice', body: { messageHandling, invoice: { invoiceNo: input.number, ...common, invoiceLines: lines } } }
    : { path: '/transactions/correct-with-credit', body: { messageHandling, creditNote: { creditNoteNo: input.number, ...common, creditNoteLines: lines } } };
}

export const RESPONSE_STATUS: Record<string, string> = {
  ACKNOWLEDGED: 'MessageAcknowledgement',
  IN_PROCESS: 'InProcess',
  UNDER_QUERY: 'UnderQuery',
  CONDITIONALLY_ACCEPTED: 'ConditionallyAccepted',
  ACCEPTED: 'Accepted',
  REJECTED: 'Rejected',
  PAID: 'Paid',
};

/** MAPI billing-response reason codes (the document's list). */
export const RESPONSE_REASONS = [
  'NoIssue', 'ReferencesIncorrect', 'LegalInformationIncorrect', 'ReceiverUnknown', 'ItemQualityInsufficient', 'DeliveryIssues',
  'PricesIncorrect', 'QuantityIncorrect', 'ItemsIncorrect', 'PaymentTermsIncorrect', 'NotRecognized', 'FinanceIncorrect', 'Other',
];

/** MAPI billing-response action codes (the document's list). */
export const RESPONSE_ACTIONS = ['NoActionRequired', 'ProvideInformation', 'IssueNewInvoice', 'CreditFully', 'CreditPartially', 'CreditTheAmount', 'Other'];
