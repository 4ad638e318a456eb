import { z } from 'zod';

/** What CodaBox really sends. Metadata differs per document model, so each has its own schema. */

export const WireFeedClient = z.object({
  id: z.number().int(),
  client_id: z.string(),
  client_name: z.string(),
  client_code: z.string().nullish(),
  fiduciary_id: z.string().nullish(),
});

export const WirePodClient = z.object({
  id: z.number().int(),
  allowed_formats: z.record(z.string(), z.array(z.string())),
  feed_clients: z.array(WireFeedClient),
});
export type WirePodClient = z.infer<typeof WirePodClient>;

const num = z.union([z.number(), z.string()]);

export const WireCodaMetadata = z.object({
  first_statement_number: z.coerce.number().int(),
  last_statement_number: z.coerce.number().int(),
  new_balance_date: z.string(),
  iban: z.string(),
  bank_id: z.string().nullish(),
  currency: z.string().nullish(),
  movement_count: z.coerce.number().int(),
  extension_zone: z.string().nullish(),
});

export const WireSodaMetadata = z.object({
  vat_number: z.string().nullish(),
  social_welfare_id: z.string().nullish(),
  file_counter: num.nullish(),
  accounting_period: z.string().nullish(),
  creation_date: z.string().nullish(),
});

export const WireInvoiceMetadata = z.object({
  file_counter: num.nullish(),
  invoice_date: z.string(),
  invoice_due_date: z.string().nullish(),
  invoice_currency: z.string().nullish(),
  invoice_amount: z.string().nullish(),
  invoice_reference: z.string().nullish(),
  invoice_folder: z.string().nullish(),
  payment_reference: z.string().nullish(),
  bank_account_number: z.string().nullish(),
  bank_account_bic: z.string().nullish(),
  supplier: z.string().nullish(),
  ubl_type: z.enum(['invoice', 'credit-note']).nullish(),
  source_format: z.string().nullish(),
  source_provider: z.string().nullish(),
});

export const WireFeedEntry = z.object({
  feed_index: z.string(),
  document_model: z.string(),
  metadata: z.record(z.string(), z.unknown()),
});

export const WireFeed = z.object({
  id: z.number().int(),
  type: z.enum(['download', 'redownload']),
  feed_entries: z.array(WireFeedEntry),
});
export type WireFeed = z.infer<typeof WireFeed>;

/** DRF-style errors: `{"detail": "..."}` or field-keyed lists. */
export const WireError = z.union([z.object({ detail: z.string() }), z.record(z.string(), z.array(z.string()))]);

export const WireClientBrief = z.object({
  id: z.string(),
  name: z.string(),
  client_code: z.string().nullish(),
  enterprise_num: z.string().nullish(),
  contact_email: z.string().nullish(),
});

export const WireSearchClients = z.object({
  count: z.number().int(),
  next: z.string().nullish(),
  previous: z.string().nullish(),
  results: z.array(WireClientBrief),
});

export const WireClient = z.object({
  id: z.string(),
  fiduciary_id: z.string().nullish(),
  client_code: z.string().nullish(),
  legal_entity: z.object({
    name: z.string(),
    enterprise_num: z.string().nullish(),
    address: z.string().nullish(),
    address2: z.string().nullish(),
    zip: z.string().nullish(),
    city: z.string().nullish(),
  }),
  bank_accounts: z.array(z.object({ iban: z.string(), bank_id: z.string().nullish(), type: z.string().nullish(), subaccounts: z.array(z.object({ currency: z.string().nullish() })).nullish() })),
});
export type WireClient = z.infer<typeof WireClient>;

export const WireFiduciary = z.object({
  id: z.string(),
  name: z.string(),
  contact_email: z.string().nullish(),
  legal_entity: z.object({ name: z.string(), enterprise_num: z.string().nullish(), address: z.string().nullish(), address2: z.string().nullish(), zip: z.string().nullish(), city: z.string().nullish() }),
});
