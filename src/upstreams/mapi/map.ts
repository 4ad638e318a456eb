import type { DocumentFormatModel, DocumentTypeName, SourceCapability } from '../../domain/models.js';
import type { WireBatchEntry, WireTransactionInfo } from './wire.js';

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
