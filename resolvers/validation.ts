import type { Resolvers } from '../src/generated/graphql.js';
import { validateDocument } from '../src/services/validation.js';

export const validationResolvers: Resolvers = {
  Query: {
    validateDocument: (_p, { xml }, ctx) => validateDocument(xml, ctx.officialRules),
  },
};
