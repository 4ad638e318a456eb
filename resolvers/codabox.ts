import type { Resolvers } from '../src/generated/graphql.js';
import { claimCredentials, requestAccess, uploadSalesInvoice } from '../src/services/onboarding.js';

export const codaboxResolvers: Resolvers = {
  Mutation: {
    requestCodaboxAccess: (_p, { input }, ctx) => requestAccess(ctx, input),
    claimCodaboxCredentials: (_p, { input }, ctx) => claimCredentials(ctx, input),
    uploadSalesInvoice: (_p, { input }, ctx) => uploadSalesInvoice(ctx, input),
  },
};
