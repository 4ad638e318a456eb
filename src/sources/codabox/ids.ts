import { encodeGlobalId } from '../../domain/globalId.js';
import type { FeedKindName } from '../../domain/models.js';

/** Every global ID CodaBox's records carry, built here only. */

export const feedId = (connection: string, id: number) => encodeGlobalId({ type: 'Feed', source: 'CODABOX', connection, local: String(id) });
export const feedEntryId = (connection: string, feed: number, kind: FeedKindName, index: string) =>
  encodeGlobalId({ type: 'FeedEntry', source: 'CODABOX', connection, local: `${feed}/${kind}/${index}` });
/** A client (local `client:<id>`, readable back) or a supplier named in an invoice (`supplier:<name>`). */
export const clientPartyId = (connection: string, clientId: string) => encodeGlobalId({ type: 'Party', source: 'CODABOX', connection, local: `client:${clientId}` });
export const supplierPartyId = (connection: string, supplier: string) => encodeGlobalId({ type: 'Party', source: 'CODABOX', connection, local: `supplier:${supplier}` });
/** A feed's invoice, by its feed index. */
export const feedInvoiceId = (connection: string, feedIndex: string) => encodeGlobalId({ type: 'Invoice', source: 'CODABOX', connection, local: feedIndex });
/** A sales invoice handed to CodaBox (no read-back: CodaBox offers none). */
export const uploadedInvoiceId = (connection: string, year: string, folder: string | null, number: string) =>
  encodeGlobalId({ type: 'Invoice', source: 'CODABOX', connection, local: `upload:${year}:${folder ?? ''}:${number}` });
/** A statement movement: `feedIndex:statement:sequence:detail`. */
export const movementLocal = (feedIndex: string, statement: number, sequence: number, detail: number) => `${feedIndex}:${statement}:${sequence}:${detail}`;
export const movementId = (connection: string, local: string) => encodeGlobalId({ type: 'Payment', source: 'CODABOX', connection, local });
