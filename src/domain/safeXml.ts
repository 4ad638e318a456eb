import { XMLParser, XMLValidator, type X2jOptions } from 'fast-xml-parser';

/**
 * The one way the gateway reads XML it is handed (UBL to send or upload, CODA+ from CodaBox):
 * size first, no DTD or entity declarations (so no external entity and no entity bomb), only
 * characters XML 1.0 allows, a bounded element depth, well-formed, then parsed with entities left
 * unexpanded. Every refusal is a result with a code, never an exception.
 *
 * Encoding: the text arrives already decoded (a GraphQL String, or an upstream body read as
 * UTF-8) and leaves as UTF-8 bytes, so a declaration naming another encoding would lie about the
 * bytes sent. `text` is the document with its declaration saying UTF-8; senders send `text`.
 */

export const MAX_XML_DEPTH = 100;

export type XmlRefusalCode = 'TOO_LARGE' | 'DTD_NOT_ALLOWED' | 'NOT_XML' | 'TOO_DEEP';
export type XmlRead = { ok: true; doc: Record<string, any>; root: string; text: string } | { ok: false; code: XmlRefusalCode; message: string };

// XML 1.0 Char: tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD, and supplementary planes (as surrogate pairs).
const FORBIDDEN_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const DECLARATION = /^(\uFEFF?<\?xml\b[^?]*?)\bencoding\s*=\s*(["'])([^"']*)\2/;

/** Deepest element nesting, counted without recursion; stops once past `limit`. */
function elementDepth(xml: string, limit: number): number {
  let depth = 0;
  let max = 0;
  const tag = /<(\/?)([A-Za-z_][^\s/>]*)[^>]*?(\/?)>|<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>/g;
  for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
    if (m[2] === undefined) continue;
    if (m[1]) depth--;
    else if (!m[3]) {
      depth++;
      if (depth > max) max = depth;
      if (max > limit) return max;
    }
  }
  return max;
}

export function readXml(xml: string, opts: { maxBytes: number; what: string; parser?: Partial<X2jOptions> }): XmlRead {
  const bytes = Buffer.byteLength(xml, 'utf8');
  if (bytes > opts.maxBytes) return { ok: false, code: 'TOO_LARGE', message: `The ${opts.what} is larger than ${opts.maxBytes >= 1024 * 1024 ? `${opts.maxBytes / 1024 / 1024} MB` : `${opts.maxBytes} bytes`}.` };
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return { ok: false, code: 'DTD_NOT_ALLOWED', message: `A ${opts.what} with a DOCTYPE or entity declarations is refused.` };
  const bad = FORBIDDEN_CHAR.exec(xml);
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return { ok: false, code: 'NOT_XML', message: `The ${opts.what} contains U+${code} at character ${bad.index + 1}, which XML does not allow.` };
  }
  const depth = elementDepth(xml, MAX_XML_DEPTH);
  if (depth > MAX_XML_DEPTH) return { ok: false, code: 'TOO_DEEP', message: `The ${opts.what} nests elements more than ${MAX_XML_DEPTH} levels deep.` };
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return { ok: false, code: 'NOT_XML', message: `The ${opts.what} is not well-formed XML: ${valid.err.msg} (line ${valid.err.line}).` };
  let doc: Record<string, any>;
  try {
    doc = new XMLParser({ processEntities: false, parseTagValue: false, maxNestedTags: MAX_XML_DEPTH + 1, ...opts.parser }).parse(xml) as Record<string, any>;
  } catch (err) {
    return { ok: false, code: 'NOT_XML', message: `The ${opts.what} could not be read: ${(err as Error).message}.` };
  }
  const root = Object.keys(doc).find((k) => k !== '?xml');
  if (!root) return { ok: false, code: 'NOT_XML', message: `The ${opts.what} has no root element.` };
  return { ok: true, doc, root, text: xml.replace(DECLARATION, (_m, head: string, q: string) => `${head}encoding=${q}UTF-8${q}`) };
}
