/**
 * Apollo Client type policies for this schema, to pass to `InMemoryCache` with `possibleTypes`:
 *
 *   import { InMemoryCache } from '@apollo/client';
 *   import possibleTypes from './possibleTypes';   // generated (npm run codegen)
 *   import { typePolicies } from './typePolicies';
 *   const cache = new InMemoryCache({ possibleTypes: possibleTypes.possibleTypes, typePolicies });
 *
 * Every Node is normalized by its `id` (Apollo's default). Value objects without an id (money,
 * payment references, invoice lines, addresses, …) belong to the record they sit in: without a
 * policy, a second query selecting other fields of them replaces the first one's (Apollo warns "Cache
 * data may be lost", or, for list items, loses them silently). `merge: true` merges them instead, and
 * the lists of value objects an entity holds in a stable order are merged item by item.
 */

import type { FieldMergeFunction, TypePolicies } from '@apollo/client';

/** Object types without an id that live inside a record. */
export const VALUE_TYPES = [
  'Money', 'PaymentReference', 'PostalContact', 'ContactRelation', 'InvoiceLine', 'SepaMandate', 'InformatInvoiceDetails',
  'MessageEvent', 'BuyerResponse', 'ValidationIssue', 'ParticipantId', 'Address', 'BankAccount', 'CapabilityLookup', 'DocumentFormat',
  'Counterparty', 'Document', 'BankStatement', 'SocialDocument', 'PeppolRegistration',
] as const;

/** Lists of value objects a record holds in a stable order, merged item by item: `Type.field`. */
export const INDEXED_LISTS = [
  'Invoice.lines', 'Invoice.documents', 'Message.documents', 'Message.events', 'Message.validation', 'Party.identifiers',
  'Party.bankAccounts', 'FeedEntry.files', 'PeppolSupplier.registrations', 'PostalContact.relations',
] as const;

const byIndex: FieldMergeFunction = (existing, incoming, { mergeObjects }) => {
  const before: unknown[] = Array.isArray(existing) ? existing : [];
  return Array.isArray(incoming) ? incoming.map((item, i) => (i < before.length ? mergeObjects(before[i] as never, item) : item)) : incoming;
};

const policies: TypePolicies = {};
for (const type of VALUE_TYPES) policies[type] = { merge: true };
for (const path of INDEXED_LISTS) {
  const [type, field] = path.split('.') as [string, string];
  policies[type] = { ...policies[type], fields: { ...(policies[type]?.fields as object), [field]: { merge: byIndex } } };
}

export const typePolicies = policies;
