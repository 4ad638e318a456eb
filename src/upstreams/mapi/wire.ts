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
