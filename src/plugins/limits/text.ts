import { Lexer, Source, TokenKind } from 'graphql';
import type { LimitRefusal } from './errors.js';

export interface TextLimits {
  maxQueryBytes: number;
  maxTokens: number;
  maxDepth: number;
}

const OPEN = new Set<string>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const CLOSE = new Set<string>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/**
 * Checks a query's text before it is parsed: its size, its token count and how deep its brackets
 * nest. graphql-js parses and validates recursively, so a query nested 5,000 levels deep would
 * overflow the stack there; one pass of the lexer, which is iterative, refuses it first. Bracket
 * nesting also counts argument objects and lists, so it is allowed twice the field depth (the
 * exact field depth is checked after parsing). A lexer error is left for the parser to report.
 */
export function checkQueryText(query: string, limits: TextLimits): LimitRefusal | null {
  const bytes = Buffer.byteLength(query, 'utf8');
  if (bytes > limits.maxQueryBytes) {
    return { code: 'QUERY_TOO_LARGE', option: 'MAX_QUERY_BYTES', limit: limits.maxQueryBytes, actual: bytes, message: `The query text has ${bytes} bytes; at most ${limits.maxQueryBytes} are allowed (MAX_QUERY_BYTES). Send variables for large inputs.` };
  }
  const maxNesting = limits.maxDepth * 2 + 4;
  const lexer = new Lexer(new Source(query));
  let tokens = 0;
  let nesting = 0;
  try {
    for (let t = lexer.advance(); t.kind !== TokenKind.EOF; t = lexer.advance()) {
      if (++tokens > limits.maxTokens) {
        return { code: 'TOKEN_LIMIT_EXCEEDED', option: 'MAX_QUERY_TOKENS', limit: limits.maxTokens, actual: tokens, message: `The query has more than ${limits.maxTokens} tokens (MAX_QUERY_TOKENS).` };
      }
      if (OPEN.has(t.kind) && ++nesting > maxNesting) {
        return { code: 'DEPTH_LIMIT_EXCEEDED', option: 'MAX_QUERY_DEPTH', limit: limits.maxDepth, actual: nesting, message: `The query nests brackets more than ${maxNesting} levels deep; fields may nest at most ${limits.maxDepth} levels (MAX_QUERY_DEPTH).` };
      }
      if (CLOSE.has(t.kind)) nesting--;
    }
  } catch {
    return null;
  }
  return null;
}
