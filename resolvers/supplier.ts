import type { Resolvers } from '../src/generated/graphql.js';
import { listSuppliers, offboardSupplier, onboardSupplier, supplierOfParty, supplierRegistrations, updateSupplier } from '../src/services/suppliers.js';
import { supplierParty } from '../src/services/parties.js';
import { checkFirst } from './paging.js';

export const supplierResolvers: Resolvers = {
  Query: {
    peppolSuppliers: (_p, { connection, first, after }, ctx) => listSuppliers(ctx, connection, checkFirst(ctx, first, 20), after ?? null),
  },
  Party: {
    peppolSupplier: (party, _a, ctx) => supplierOfParty(ctx, party),
  },
  PeppolSupplier: {
    party: (s, _a, ctx) => supplierParty(ctx, s),
    registrations: (s, _a, ctx) => supplierRegistrations(ctx, s),
  },
  Mutation: {
    onboardPeppolSupplier: (_p, { input }, ctx) => onboardSupplier(ctx, input),
    updatePeppolSupplier: (_p, { input }, ctx) => updateSupplier(ctx, input),
    offboardPeppolSupplier: (_p, { input }, ctx) => offboardSupplier(ctx, input),
  },
};
