import { readXml } from './safeXml.js';

/** The largest business document accepted; checked before any parsing. */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

export interface BusinessDocumentHead {
  /** Root element name without prefix: Invoice, CreditNote, Order, ... */
  root: string;
  namespace: string | null;
  customizationId: string | null;
  id: string | null;
}

export type ReadResult = { ok: true; head: BusinessDocumentHead; text: string } | { ok: false; code: 'TOO_LARGE' | 'NOT_XML' | 'DTD_NOT_ALLOWED' | 'TOO_DEEP'; message: string };

/** Reads the head of a UBL document safely (`readXml`); `text` is what to send. */
export function readBusinessDocument(xml: string): ReadResult {
  const read = readXml(xml, { maxBytes: MAX_DOCUMENT_BYTES, what: 'document', parser: { ignoreAttributes: false, removeNSPrefix: true } });
  if (!read.ok) return read;
  const { root } = read;
  const node = read.doc[root] as Record<string, unknown>;
  const text = (v: unknown): string | null => (typeof v === 'string' ? v.trim() : v && typeof v === 'object' && '#text' in v ? String((v as Record<string, unknown>)['#text']).trim() : null);
  return {
    ok: true,
    text: read.text,
    head: {
      root,
      namespace: typeof node?.['@_xmlns'] === 'string' ? (node['@_xmlns'] as string) : null,
      customizationId: text(node?.CustomizationID),
      id: text(node?.ID),
    },
  };
}
