import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** The largest business document accepted; checked before any parsing. */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

export interface BusinessDocumentHead {
  /** Root element name without prefix: Invoice, CreditNote, Order, ... */
  root: string;
  namespace: string | null;
  customizationId: string | null;
  id: string | null;
}

export type ReadResult = { ok: true; head: BusinessDocumentHead } | { ok: false; code: 'TOO_LARGE' | 'NOT_XML' | 'DTD_NOT_ALLOWED'; message: string };

const parser = new XMLParser({
  ignoreAttributes: false,
  removeNSPrefix: true,
  // Entities are never expanded and DTDs are refused below: no external entity, no entity bomb.
  processEntities: false,
  parseTagValue: false,
});

/** Reads the head of a UBL document safely: size first, no DTD, well-formed, then parsed. */
export function readBusinessDocument(xml: string): ReadResult {
  if (Buffer.byteLength(xml, 'utf8') > MAX_DOCUMENT_BYTES) return { ok: false, code: 'TOO_LARGE', message: `The document is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB.` };
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return { ok: false, code: 'DTD_NOT_ALLOWED', message: 'Documents with a DOCTYPE or entity declarations are refused.' };
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return { ok: false, code: 'NOT_XML', message: `The document is not well-formed XML: ${valid.err.msg} (line ${valid.err.line}).` };
  const parsed = parser.parse(xml) as Record<string, unknown>;
  const root = Object.keys(parsed).find((k) => k !== '?xml');
  if (!root) return { ok: false, code: 'NOT_XML', message: 'The document has no root element.' };
  const node = parsed[root] as Record<string, unknown>;
  const text = (v: unknown): string | null => (typeof v === 'string' ? v.trim() : v && typeof v === 'object' && '#text' in v ? String((v as Record<string, unknown>)['#text']).trim() : null);
  return {
    ok: true,
    head: {
      root,
      namespace: typeof node?.['@_xmlns'] === 'string' ? (node['@_xmlns'] as string) : null,
      customizationId: text(node?.CustomizationID),
      id: text(node?.ID),
    },
  };
}
