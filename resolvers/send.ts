import type { Resolvers } from '../src/generated/graphql.js';
import { respondToInvoice, sendDocument, sendInvoice } from '../src/services/sending.js';

export const sendResolvers: Resolvers = {
  Mutation: {
    sendInvoice: (_p, { input }, ctx) => sendInvoice(ctx, input),
    sendDocument: (_p, { input }, ctx) => sendDocument(ctx, input),
    respondToInvoice: (_p, { input }, ctx) => respondToInvoice(ctx, input),
  },
};
