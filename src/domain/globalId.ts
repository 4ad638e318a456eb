/**
 * Global IDs are opaque to callers: base64url of `Type:SOURCE:connection:localId`.
 * The connection is part of the ID so that `node(id)` knows which upstream account to ask,
 * and so that two access groups holding the same local id never collide.
 */

export type NodeType = 'Invoice' | 'InvoiceGroup' | 'Payment' | 'Party' | 'Message' | 'Feed' | 'FeedEntry' | 'PeppolSupplier';
export type SourceName = 'INFORMAT' | 'IBANITY' | 'CODABOX' | 'MAPI' | 'GATEWAY';

export interface GlobalId {
  type: NodeType;
  source: SourceName;
  connection: string;
  /** Upstream-local key; may itself contain `:`. */
  local: string;
}

const TYPES = new Set<string>(['Invoice', 'InvoiceGroup', 'Payment', 'Party', 'Message', 'Feed', 'FeedEntry', 'PeppolSupplier']);
const SOURCES = new Set<string>(['INFORMAT', 'IBANITY', 'CODABOX', 'MAPI', 'GATEWAY']);

export function encodeGlobalId(id: GlobalId): string {
  if (id.connection.includes(':')) throw new RangeError(`connection name may not contain ':' (${id.connection})`);
  return Buffer.from(`${id.type}:${id.source}:${id.connection}:${id.local}`, 'utf8').toString('base64url');
}

/** Returns null for anything that is not one of our IDs, so callers can answer `INVALID_ID`. */
export const MAX_ID_LENGTH = 1024;

/**
 * Informat types invoice IDs as UUID and rejects a whole query that holds another value: an
 * Informat invoice ID whose local part is not a UUID names nothing and is never sent.
 */
export const isInformatInvoiceLocal = (local: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(local);

export function decodeGlobalId(opaque: string): GlobalId | null {
  // No ID the gateway hands out is this long; a longer one is refused before it is decoded.
  if (opaque.length > MAX_ID_LENGTH || !/^[A-Za-z0-9_-]+$/.test(opaque)) return null;
  const text = Buffer.from(opaque, 'base64url').toString('utf8');
  const [type, source, connection, ...rest] = text.split(':');
  if (!type || !source || !connection || rest.length === 0) return null;
  if (!TYPES.has(type) || !SOURCES.has(source)) return null;
  const local = rest.join(':');
  if (!local) return null;
  return { type: type as NodeType, source: source as SourceName, connection, local };
}
