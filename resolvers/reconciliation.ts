import type { Resolvers } from '../src/generated/graphql.js';
import { listPayments } from '../src/services/bankPayments.js';
import { applyPaymentMatches, invoiceOfMovement, linkedPayments, paymentMatches } from '../src/services/reconciliation.js';
import { checkFirst } from './paging.js';
import { reportFailures } from './partial.js';
import { selectionTree } from './selection.js';

/** Bank movements, and their reconciliation with open invoices. */
export const reconciliationResolvers: Resolvers = {
  Query: {
    payments: async (_p, { filter, first, after }, ctx, info) => {
      const { page, failures } = await listPayments(ctx, filter, checkFirst(ctx, first), after ?? null);
      reportFailures(ctx, info, failures);
      return page;
    },
    paymentMatches: (_p, { feedId, accessGroup, schoolYear }, ctx) => paymentMatches(ctx, feedId, accessGroup, schoolYear),
  },
  Mutation: {
    applyPaymentMatches: (_p, { input }, ctx) => applyPaymentMatches(ctx, input),
  },
  Invoice: {
    // What the source listed, and what was registered on the invoice through the gateway.
    payments: async (invoice, _a, ctx) => [...invoice.payments, ...(await linkedPayments(ctx, invoice.id))],
  },
  Payment: {
    invoice: (payment, _a, ctx, info) => invoiceOfMovement(ctx, payment, selectionTree(info)),
  },
};
