import { encodeGlobalId } from '../../domain/globalId.js';

/** Every global ID MAPI's records carry, built here only. MAPI's unique ids are kept lower-case. */

export const messageId = (connection: string, uniqueId: string) => encodeGlobalId({ type: 'Message', source: 'MAPI', connection, local: uniqueId.toLowerCase() });
export const partyId = (connection: string, identifier: string) => encodeGlobalId({ type: 'Party', source: 'MAPI', connection, local: identifier });
/** The invoice a message carries has the message's unique id. */
export const messageInvoiceId = (connection: string, uniqueId: string) => encodeGlobalId({ type: 'Invoice', source: 'MAPI', connection, local: uniqueId });
