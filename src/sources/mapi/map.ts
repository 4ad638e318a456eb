import type { DocumentFormatModel, DocumentModel, DocumentTypeName, InvoiceModel, MessageModel, MessageStatusName, PartyModel, SourceCapability } from '../../domain/models.js';
import type { WireBatchEntry, WireInvoiceMetadata, WireMessage, WireTransactionInfo } from './wire.js';
import Big from 'big.js';
import { address } from '../../domain/address.js';
import { decimalFromWire, money } from '../../domain/money.js';
import { messageId, messageInvoiceId, partyId } from './ids.js';
import { parsePartyIdentifier } from '../../domain/identifiers.js';

/** MAPI transaction group of each unified document type. */
export const TRANSACTION_GROUP: Record<DocumentTypeName, string> = {
  INVOICE: 'SubmitInvoice',
  CREDIT_NOTE: 'CorrectWithCredit',
  ORDER: 'SubmitOrder',
  ORDER_RESPONSE: 'SubmitOrderResponse',
  BILLING_RESPONSE: 'SubmitBillingResponse',
  PAYMENT_NOTIFICATION: 'SubmitPaymentNotification',
  QUOTATION: 'SubmitQuotation',
  QUOTATION_REQUEST: 'RequestQuotation',
  OTHER: 'SubmitDocument',
};

/** MAPI writes Icelandic kennitala as `KT`; the unified identifiers use ICD 0196. */
export const toMapiType = (scheme: string) => scheme;
export const fromMapiType = (type: string) => (type.toUpperCase() === 'KT' ? '0196' : type.toUpperCase());

function syntaxOf(documentIdentifier: string | null | undefined): string | null {
  if (!documentIdentifier) return null;
  if (documentIdentifier.startsWith('urn:oasis:names:specification:ubl:')) return 'UBL';
  if (documentIdentifier.includes('CrossIndustryInvoice')) return 'CII';
  return null;
}

export function toDocumentFormat(documentType: DocumentTypeName, t: WireTransactionInfo): DocumentFormatModel {
  return {
    source: 'MAPI',
    documentType,
    name: t.profileKeyName ?? t.transactionKeyName ?? null,
    profileId: t.profileId ?? null,
    customizationId: t.customizationId,
    syntax: syntaxOf(t.documentIdentifier),
    viaTransformation: t.willBeTransformed,
  };
}

/** One batch entry as `scheme:value` -> answer. */
export function toSourceCapability(documentType: DocumentTypeName, e: WireBatchEntry, checkedAt: string): { key: string; answer: SourceCapability } {
  return {
    key: `${fromMapiType(e.identifierType)}:${e.identifier.toUpperCase()}`,
    answer: {
      status: e.status === 'Ready' ? 'READY' : e.status === 'PendingLookup' ? 'PENDING' : 'NOT_FOUND',
      formats: e.result.map((t) => toDocumentFormat(documentType, t)),
      checkedAt,
    },
  };
}


/** Unified status of each MAPI status (lowercase on the wire). */
export const MESSAGE_STATUS: Record<string, MessageStatusName> = {
  notset: 'DRAFT',
  received: 'QUEUED',
  retrying: 'SENDING',
  delivered: 'DELIVERED',
  processed: 'DELIVERED',
  logged: 'DELIVERED',
  loggedrelayed: 'DELIVERED',
  pendingdelivery: 'AWAITING_IMPORT',
  pendingprocessing: 'AWAITING_IMPORT',
  failed: 'FAILED',
  loggedfailed: 'FAILED',
  parked: 'PARKED',
  notprocessing: 'PARKED',
  pendingreview: 'INVALID',
};

/** MAPI statuses (as its filter spells them) of each unified status. */
export const MAPI_STATUSES: Record<MessageStatusName, string[]> = {
  DRAFT: ['NotSet'],
  QUEUED: ['Received'],
  SENDING: ['Retrying'],
  DELIVERED: ['Delivered', 'Processed', 'Logged', 'LoggedRelayed'],
  AWAITING_IMPORT: ['PendingDelivery', 'PendingProcessing'],
  FAILED: ['Failed', 'LoggedFailed'],
  PARKED: ['Parked', 'NotProcessing'],
  INVALID: ['PendingReview'],
};

export const DOCUMENT_TYPE_OF_GROUP: Record<string, DocumentTypeName> = Object.fromEntries(
  Object.entries(TRANSACTION_GROUP).map(([type, group]) => [group.toLowerCase(), type as DocumentTypeName]),
);

export { messageId };

function partyOf(connection: string, p: { identifier: string; name?: string | null } | null | undefined): PartyModel | null {
  if (!p) return null;
  const ids = parsePartyIdentifier(p.identifier) ?? [];
  const primary = ids[0];
  const kbo = ids.find((i) => i.scheme === '0208')?.value ?? null;
  return {
    id: partyId(connection, primary?.iso6523 ?? p.identifier),
    name: p.name ?? null,
    identifiers: ids,
    enterpriseNumber: kbo,
    vatNumber: kbo ? `BE${kbo}` : null,
    address: null,
    email: null,
    bankAccounts: [],
    sources: ['MAPI'],
  };
}

function formatOf(contentType: string, name: string): string {
  if (contentType.includes('xml')) return 'xml';
  if (contentType === 'application/pdf') return 'pdf';
  const sub = contentType.split('/')[1];
  return sub && /^[a-z0-9.+-]+$/.test(sub) ? sub : (name.split('.').pop() ?? 'bin');
}

export function toMessage(connection: string, w: WireMessage): MessageModel {
  const documents: DocumentModel[] = w.documents.map((d) => {
    const format = formatOf(d.contentType, d.name);
    const name = /\.[a-z0-9]{2,4}$/i.test(d.name) ? d.name : `${d.name}.${format}`;
    return {
      name,
      folder: null,
      format,
      contentType: d.contentType,
      available: true,
      download: { source: 'MAPI', connection, kind: 'mapi-document', ref: `${w.uniqueId.toLowerCase()}/${d.index}`, name, contentType: d.contentType },
    };
  });
  return {
    id: messageId(connection, w.uniqueId),
    uniqueId: w.uniqueId.toLowerCase(),
    connection,
    source: 'MAPI',
    direction: w.transfer === 'inbound' ? 'INBOUND' : 'OUTBOUND',
    status: MESSAGE_STATUS[w.status] ?? 'QUEUED',
    upstreamStatus: w.status,
    documentType: DOCUMENT_TYPE_OF_GROUP[w.action.toLowerCase()] ?? 'OTHER',
    documentNumber: w.documentNo || null,
    sender: partyOf(connection, w.originParty),
    receiver: partyOf(connection, w.destinationParty),
    createdAt: utcInstant(w.timeReceived),
    deliveredAt: utcInstant(w.timeDelivered),
    documents,
    validationStatus: w.validationStatus ?? null,
    // MAPI names no transmission id, and keeps a buyer's answer as a message of its own.
    transmissionId: null,
    buyerResponse: null,
  };
}

function metaParty(connection: string, p: WireInvoiceMetadata['supplier']): PartyModel | null {
  if (!p.identifier) return null;
  const base = partyOf(connection, { identifier: p.identifier, name: p.name ?? null });
  if (!base) return null;
  const a = p.address;
  return {
    ...base,
    vatNumber: p.vatNumber ?? base.vatNumber,
    email: p.contact?.electronicMail ?? null,
    address: a ? address({ street: a.streetNameAndNumber ?? null, number: null, box: null, postalCode: a.postalZone ?? null, city: a.city ?? null, countryCode: a.countryCode ?? null }) : null,
  };
}

/** The business content of an invoice or credit note message, from its transaction metadata. */
export function toInvoiceFromMetadata(connection: string, m: MessageModel, meta: WireInvoiceMetadata): InvoiceModel {
  const currency = meta.currencyCode;
  const lines = meta.invoiceLines ?? meta.creditNoteLines ?? [];
  const taxable = lines.reduce((s, l) => s.plus(decimalFromWire(l.taxableAmount ?? 0)), new Big(0));
  const tax = lines.reduce((s, l) => s.plus(decimalFromWire(l.taxAmount ?? 0)), new Big(0));
  return {
    id: messageInvoiceId(connection, m.uniqueId),
    source: 'MAPI',
    direction: m.direction,
    kind: m.documentType === 'CREDIT_NOTE' ? 'CREDIT_NOTE' : 'INVOICE',
    number: meta.invoiceNo ?? meta.creditNoteNo ?? m.documentNumber,
    issueDate: meta.issueDate.slice(0, 10),
    dueDate: meta.dueDate ? meta.dueDate.slice(0, 10) : null,
    total: money(taxable.plus(tax).toFixed(2), currency),
    paid: meta.prepaidAmount != null ? money(meta.prepaidAmount, currency) : null,
    open: meta.payableAmount != null ? money(meta.payableAmount, currency) : null,
    paymentReference: null,
    seller: metaParty(connection, meta.supplier),
    buyer: metaParty(connection, meta.customer),
    recipient: null,
    lines: lines.map((l) => ({
      group: null,
      description: l.name ?? l.description ?? l.itemNo ?? '',
      quantity: decimalFromWire(l.quantity, 0),
      unitPrice: money(l.unitPriceAmount, currency),
      discount: null,
      discountPercent: null,
      taxPercent: l.taxPercentage == null ? null : decimalFromWire(l.taxPercentage, 0),
      accountCode: l.accountingCost ?? null,
      total: money(l.taxableAmount ?? new Big(decimalFromWire(l.quantity, 0)).times(decimalFromWire(l.unitPriceAmount)).toFixed(2), currency),
    })),
    documents: m.documents,
    payments: [],
    createdAt: m.createdAt,
    updatedAt: null,
    informat: null,
  };
}

/**
 * MAPI writes times without an offset (the reference's samples: `2023-03-01T10:00:00.123`); they
 * are read as UTC and written with `Z`, never in the gateway's local zone. A time
 * that does not parse is kept as MAPI wrote it rather than dropped.
 */
export function utcInstant(s: string | null | undefined): string | null {
  if (!s) return null;
  // A time with its zone stays as MAPI wrote it (its seven fraction digits included).
  if (/(?:Z|[+-]\d\d:?\d\d)$/i.test(s)) return s;
  return Number.isNaN(Date.parse(`${s}Z`)) ? s : `${s}Z`;
}
