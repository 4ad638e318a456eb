import type { InvoiceFilter, Resolvers } from '../src/generated/graphql.js';
import { groupInvoices, invoiceById, listInvoiceGroups, listInvoices } from '../src/services/invoices.js';
import { childFieldArgs, selectionTree, subtree } from './selection.js';
import { checkFirst } from './paging.js';
import { reportFailures } from './partial.js';

export const invoiceResolvers: Resolvers = {
  Query: {
    invoice: (_p, { id }, ctx, info) => invoiceById(ctx, id, selectionTree(info)),
    invoices: async (_p, { filter, first, after }, ctx, info) => {
      const { page, failures } = await listInvoices(ctx, filter, subtree(selectionTree(info), ['edges', 'node']), checkFirst(ctx, first), after ?? null);
      reportFailures(ctx, info, failures);
      return page;
    },
    invoiceGroups: (_p, { accessGroup, schoolYear, type }, ctx, info) => {
      // When the caller also wants each group's invoices with one filter, they come in the same upstream request.
      const nested = childFieldArgs(info, 'invoices');
      const filters = new Set(nested.map((a) => JSON.stringify(a.filter ?? null)));
      const prefetch = nested.length > 0 && filters.size === 1 ? { filter: nested[0]!.filter as InvoiceFilter | undefined, selection: subtree(selectionTree(info), ['invoices', 'edges', 'node']) } : null;
      return listInvoiceGroups(ctx, accessGroup, schoolYear, type, prefetch);
    },
  },
  InvoiceGroup: {
    invoices: (group, { filter, first, after }, ctx, info) => groupInvoices(ctx, group, filter, subtree(selectionTree(info), ['edges', 'node']), checkFirst(ctx, first), after ?? null),
  },
  Document: {
    url: (doc, _a, ctx) => (doc.available && doc.download ? `${ctx.baseUrl}/files/${ctx.signer.sign(doc.download)}` : null),
  },
};
