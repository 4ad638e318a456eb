import { encodeGlobalId } from '../../domain/globalId.js';

/**
 * Every global ID Ibanity's records carry, built here only. A message's local part says which list
 * it lives in, because Ibanity reads an outbound document under its supplier and kind, and an
 * inbound one on its own: `invoice:<uuid>`, `credit-note:<uuid>` or `inbound:<uuid>`.
 */

export type OutboundKind = 'invoice' | 'credit-note';

export type MessageLocal = { kind: 'invoice' | 'credit-note'; id: string } | { kind: 'inbound'; id: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const messageLocal = (m: MessageLocal) => `${m.kind}:${m.id.toLowerCase()}`;

/** Null for a local part no Ibanity message has (never sent upstream). */
export function parseMessageLocal(local: string): MessageLocal | null {
  const [kind, id] = local.split(':') as [string, string | undefined];
  if (!id || !UUID.test(id) || (kind !== 'invoice' && kind !== 'credit-note' && kind !== 'inbound')) return null;
  return { kind, id: id.toLowerCase() };
}

export const messageId = (connection: string, m: MessageLocal) => encodeGlobalId({ type: 'Message', source: 'IBANITY', connection, local: messageLocal(m) });
export const messageInvoiceId = (connection: string, m: MessageLocal) => encodeGlobalId({ type: 'Invoice', source: 'IBANITY', connection, local: messageLocal(m) });
export const supplierId = (connection: string, id: string) => encodeGlobalId({ type: 'PeppolSupplier', source: 'IBANITY', connection, local: id.toLowerCase() });
export const partyId = (connection: string, identifier: string) => encodeGlobalId({ type: 'Party', source: 'IBANITY', connection, local: identifier });
export const isSupplierLocal = (local: string) => UUID.test(local);
