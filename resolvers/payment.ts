import type { GraphQLResolveInfo } from 'graphql';
import type { Resolvers } from '../src/generated/graphql.js';
import { invoiceById } from '../src/services/invoices.js';
import { registerPayment, requestInvoicePdf } from '../src/services/payments.js';
import { selectionTree } from './selection.js';

/** The resolve info as seen from the payload's `invoice` field, so only its selection is fetched. */
function subInfo(info: GraphQLResolveInfo): GraphQLResolveInfo {
  const fieldNodes = info.fieldNodes.flatMap((n) => (n.selectionSet?.selections ?? []).filter((s): s is typeof n => s.kind === 'Field' && s.name.value === 'invoice'));
  return { ...info, fieldNodes };
}

export const paymentResolvers: Resolvers = {
  Mutation: {
    registerPayment: (_p, { input }, ctx) => registerPayment(ctx, input),
    requestInvoicePdf: async (_p, { invoiceId }, ctx, info) => {
      const r = await requestInvoicePdf(ctx, invoiceId);
      if (!r.ok) return { invoice: null, accepted: false, userErrors: [r.error] };
      const sub = subInfo(info);
      return { invoice: sub.fieldNodes.length ? await invoiceById(ctx, invoiceId, selectionTree(sub)) : null, accepted: true, userErrors: [] };
    },
  },
};
