import type { Resolvers } from '../src/generated/graphql.js';
import { validateDocument } from '../src/services/validation.js';
import { parseBankStatement } from '../src/services/bankStatements.js';

/** What the gateway reads from content the caller sends: documents to validate, bank statement files. */
export const parsingResolvers: Resolvers = {
  Query: {
    validateDocument: (_p, { xml }, ctx) => validateDocument(xml, ctx.officialRules),
    parseBankStatement: (_p, { content, format }) => parseBankStatement(content, format),
  },
};
