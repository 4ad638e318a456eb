import { z } from 'zod';

/** What MAPI really sends, quirks included. */

export const WireTransactionInfo = z.object({
  uniqueId: z.string(),
  profileId: z.string().nullish(),
  customizationId: z.string(),
  transactionKeyName: z.string().nullish(),
  profileKeyName: z.string().nullish(),
  documentIdentifier: z.string().nullish(),
  willBeTransformed: z.boolean().default(false),
});
export type WireTransactionInfo = z.infer<typeof WireTransactionInfo>;

export const WireBatchEntry = z.object({
  identifierType: z.string(),
  identifier: z.string(),
  // The document spells it both ways.
  status: z.enum(['Ready', 'NoRecordFound', 'NoRecordsFound', 'PendingLookup']),
  result: z.array(WireTransactionInfo),
});
export type WireBatchEntry = z.infer<typeof WireBatchEntry>;

export const WireParty = z.object({ identifier: z.string(), name: z.string().nullish() });

export const WireMessageDocument = z.object({
  index: z.number().int(),
  name: z.string(),
  contentType: z.string(),
  encoding: z.string().nullish(),
  referenceId: z.string(),
  namespace: z.string().nullish(),
  attachmentType: z.string(),
  isTransformed: z.boolean().default(false),
});

export const WireMessage = z.object({
  uniqueId: z.string(),
  timeReceived: z.string(),
  timeDelivered: z.string().nullish(),
  documentNo: z.string().nullish(),
  // Lowercase on the wire; compared lowercased all the same.
  status: z.string().transform((s) => s.toLowerCase()),
  transfer: z.string().transform((s) => s.toLowerCase()),
  validationStatus: z.string().nullish(),
  service: z.string().nullish(),
  action: z.string(),
  conversation: z.string().nullish(),
  referenceInformation: z.string().nullish(),
  originParty: WireParty.nullish(),
  destinationParty: WireParty.nullish(),
  documents: z.array(WireMessageDocument),
});
export type WireMessage = z.infer<typeof WireMessage>;

export const WireTrace = z.object({
  timestamp: z.string(),
  sourceIp: z.string().nullish(),
  sourceUser: z.string().nullish(),
  sourcePartyName: z.string().nullish(),
  typeName: z.string(),
  message: z.string().nullish(),
});

export const WireValidationEntry = z.object({
  statusType: z.string(),
  referenceKey: z.string().nullish(),
  friendlyMessage: z.string().nullish(),
  detailMessage: z.string().nullish(),
});

export const WireUnprocessable = z.object({ statusCode: z.union([z.string(), z.number()]), statusText: z.string().nullish(), message: z.string() });

const Amount = z.union([z.number(), z.string()]);
const MetaParty = z.object({
  name: z.string().nullish(),
  identifier: z.string().nullish(),
  vatNumber: z.string().nullish(),
  address: z.object({ streetNameAndNumber: z.string().nullish(), city: z.string().nullish(), postalZone: z.string().nullish(), countryCode: z.string().nullish() }).nullish(),
  contact: z.object({ electronicMail: z.string().nullish() }).nullish(),
});
const MetaLine = z.object({
  itemNo: z.string().nullish(),
  name: z.string().nullish(),
  description: z.string().nullish(),
  quantity: Amount,
  unitPriceAmount: Amount,
  taxableAmount: Amount.nullish(),
  taxAmount: Amount.nullish(),
  taxPercentage: Amount.nullish(),
  accountingCost: z.string().nullish(),
});
/** InvoiceMetadata / CreditNoteMetadata as GET /transactions/...?messageId= returns it. */
export const WireInvoiceMetadata = z.object({
  invoiceNo: z.string().nullish(),
  creditNoteNo: z.string().nullish(),
  issueDate: z.string(),
  dueDate: z.string().nullish(),
  currencyCode: z.string(),
  supplier: MetaParty,
  customer: MetaParty,
  invoiceLines: z.array(MetaLine).nullish(),
  creditNoteLines: z.array(MetaLine).nullish(),
  prepaidAmount: Amount.nullish(),
  payableAmount: Amount.nullish(),
});
export type WireInvoiceMetadata = z.infer<typeof WireInvoiceMetadata>;
