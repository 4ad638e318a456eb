import type { Resolvers } from '../src/generated/graphql.js';
import { listMessages, markMessage, messageBuyerResponse, messageById, messageEvents, messageInvoice, messageValidation } from '../src/services/messages.js';
import { checkFirst } from './paging.js';

export const messageResolvers: Resolvers = {
  Query: {
    message: (_p, { id }, ctx) => messageById(ctx, id),
    messages: (_p, { filter, first, after, connection }, ctx) => listMessages(ctx, filter, checkFirst(ctx, first), after ?? null, connection),
  },
  Message: {
    events: (m, _a, ctx) => messageEvents(ctx, m),
    validation: (m, _a, ctx) => messageValidation(ctx, m),
    invoice: (m, _a, ctx) => messageInvoice(ctx, m),
    buyerResponse: (m, _a, ctx) => messageBuyerResponse(ctx, m),
    transmissionId: (m) => m.transmissionId ?? null,
  },
  Mutation: {
    markMessage: (_p, { input }, ctx) => markMessage(ctx, input),
  },
};
