import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { isDecimal } from '../src/domain/money.js';

function stringScalar(name: string, description: string, check: (s: string) => boolean, hint: string) {
  const parse = (v: unknown): string => {
    if (typeof v !== 'string' || !check(v)) throw new GraphQLError(`${name} must be ${hint}; got ${JSON.stringify(v)}`);
    return v;
  };
  return new GraphQLScalarType({
    name,
    description,
    serialize: (v) => (typeof v === 'string' ? v : String(v)),
    parseValue: parse,
    parseLiteral: (node) => {
      if (node.kind !== Kind.STRING) throw new GraphQLError(`${name} must be a string literal (${hint})`);
      return parse(node.value);
    },
  });
}

const isDate = (s: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};
const isDateTime = (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(s) && !Number.isNaN(Date.parse(s));

export const scalarResolvers = {
  Date: stringScalar('Date', 'ISO 8601 calendar date', isDate, 'a date like "2020-10-31"'),
  DateTime: stringScalar('DateTime', 'ISO 8601 instant', isDateTime, 'an ISO 8601 date-time with offset, like "2020-10-13T12:02:03.067Z"'),
  // Decimals are strings on input too: a JSON float could not carry "65.10" exactly.
  Decimal: stringScalar('Decimal', 'Exact decimal as a string', isDecimal, 'a decimal string like "65.10"'),
  JSON: new GraphQLScalarType({ name: 'JSON', serialize: (v) => v, parseValue: (v) => v }),
};
