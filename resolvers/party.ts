import type { Resolvers } from '../src/generated/graphql.js';
import { reportFailures } from './partial.js';
import { settle } from '../src/loaders/batching.js';
import { parseIdentifier, partyAddress, partyBankAccounts, partyCapabilities, partyEmail, partyName, partyOf, partySourcesOf, searchParties } from '../src/services/parties.js';

export const partyResolvers: Resolvers = {
  Query: {
    party: (_p, { identifier }, ctx) => partyOf(ctx, parseIdentifier(identifier, ['identifier'])),
    // One bad identifier is null with its own error; the others still resolve.
    parties: (_p, { identifiers }, ctx) => Promise.all(identifiers.map((identifier, i) => settle(Promise.resolve().then(() => partyOf(ctx, parseIdentifier(identifier, ['identifiers', String(i)])))))) as never,
    searchParties: async (_p, { query, source, first, after, connection }, ctx, info) => {
      const { page, failures } = await searchParties(ctx, query, source, first ?? 20, after ?? null, connection);
      reportFailures(ctx, info, failures);
      return page;
    },
  },
  Party: {
    name: (party, _a, ctx) => partyName(ctx, party),
    sources: (party, _a, ctx) => partySourcesOf(ctx, party),
    email: (party, _a, ctx) => partyEmail(ctx, party),
    bankAccounts: (party, _a, ctx) => partyBankAccounts(ctx, party),
    address: (party, _a, ctx) => partyAddress(ctx, party),
    capabilities: (party, { documentType }, ctx) => partyCapabilities(ctx, party, documentType ?? 'INVOICE', ctx.settings.vatFallback),
  },
};
