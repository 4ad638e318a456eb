import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { isDecimal } from '../src/domain/money.js';
import { quote } from '../src/domain/quote.js';

/** Longest decimal accepted: 18 integer and 12 fraction digits, a sign and a point. */
export const MAX_DECIMAL_LENGTH = 32;

/**
 * Scalar behaviour only; names and descriptions come from schema/common.graphql (a full
 * GraphQLScalarType here would replace the SDL's description).
 */
function stringScalar(name: string, check: (s: string) => boolean, hint: string) {
  const parse = (v: unknown): string => {
    if (typeof v !== 'string' || !check(v)) throw new GraphQLError(`${name} must be ${hint}; got ${typeof v === 'string' ? quote(v) : typeof v}`);
    return v;
  };
  return {
    serialize: (v: unknown) => (typeof v === 'string' ? v : String(v)),
    parseValue: parse,
    parseLiteral: (node: ValueNode) => {
      if (node.kind !== Kind.STRING) throw new GraphQLError(`${name} must be a string literal (${hint})`);
      return parse(node.value);
    },
  };
}

const isDate = (s: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};
const isDateTime = (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(s) && !Number.isNaN(Date.parse(s));

export const scalarResolvers = {
  Date: stringScalar('Date', isDate, 'a date like "2020-10-31"'),
  DateTime: stringScalar('DateTime', isDateTime, 'an ISO 8601 date-time with offset, like "2020-10-13T12:02:03.067Z"'),
  // Decimals are strings on input too: a JSON float could not carry "65.10" exactly.
  Decimal: stringScalar('Decimal', (s) => s.length <= MAX_DECIMAL_LENGTH && isDecimal(s), `a decimal string like "65.10" of at most ${MAX_DECIMAL_LENGTH} characters`),
};
