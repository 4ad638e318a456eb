import type { GraphQLResolveInfo } from 'graphql';
import { decodeGlobalId, isInformatInvoiceLocal } from '../src/domain/globalId.js';
import { quote } from '../src/domain/quote.js';
import type { InvoiceGroupModel, InvoiceModel } from '../src/domain/models.js';
import type { Page } from '../src/domain/page.js';
import type { InvoiceFilter, Resolvers } from '../src/generated/graphql.js';
import type { GatewayContext } from '../src/context.js';
import { badInput } from '../src/server/errors.js';
import type { InformatInvoiceFilter } from '../src/sources/informat/index.js';
import { informatFor } from './access.js';
import { childFieldArgs, selectionTree, subtree } from './selection.js';
import { checkFirst } from './paging.js';

const EMPTY_PAGE: Page<never> = { edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null }, totalCount: 0 };

/** The Informat part of a unified filter. */
function informatFilter(f: InvoiceFilter | null | undefined): InformatInvoiceFilter {
  return { openOnly: f?.openOnly, changedSince: f?.changedSince, minTotal: f?.minTotal, paymentReference: f?.paymentReference, kind: f?.kind };
}

/** Stable key of what a filter asks the upstream, so prefetched invoices are reused only for the same filter. */
const filterKey = (f: InvoiceFilter | null | undefined) => JSON.stringify(informatFilter(f), Object.keys(informatFilter(f)).sort());

/** `invoiceGroupId` is a global ID or a plain Informat group number. */
function parseGroupRef(raw: string): { connection: string | null; schoolYear: string | null; number: number } {
  if (/^[0-9]+$/.test(raw)) return { connection: null, schoolYear: null, number: Number(raw) };
  const id = decodeGlobalId(raw);
  if (!id || id.type !== 'InvoiceGroup' || id.source !== 'INFORMAT') throw badInput('invoiceGroupId is not an invoice group ID.', ['filter', 'invoiceGroupId']);
  const [num, ...year] = id.local.split('@');
  return { connection: id.connection, schoolYear: year.join('@'), number: Number(num) };
}

/** Informat's two school-year forms: `2020-21`, or the registration form `01/09/2020-31/08/2021`. */
function checkSchoolYear(value: string, field: string[]): void {
  if (!/^\d{4}-\d{2}$|^\d{2}\/\d{2}\/\d{4}-\d{2}\/\d{2}\/\d{4}$/.test(value)) {
    throw badInput(`${quote(value)} is not a school year; write it like "2020-21" (or "01/09/2020-31/08/2021" for registration groups).`, field);
  }
}

async function listInvoices(ctx: GatewayContext, info: GraphQLResolveInfo, filter: InvoiceFilter, first: number, after: string | null) {
  const source = filter.source ?? 'INFORMAT';
  if (source !== 'INFORMAT') throw badInput(`No invoice source ${source} is configured on this gateway yet.`, ['filter', 'source']);
  // Informat invoices are issued by the school: there are no inbound ones.
  if (filter.direction === 'INBOUND') return EMPTY_PAGE;
  const group = filter.invoiceGroupId ? parseGroupRef(filter.invoiceGroupId) : null;
  if (group?.connection && filter.accessGroup && group.connection !== filter.accessGroup) {
    throw badInput('invoiceGroupId belongs to another access group than accessGroup.', ['filter', 'invoiceGroupId']);
  }
  const schoolYear = filter.schoolYear ?? group?.schoolYear ?? null;
  if (!schoolYear) throw badInput('filter.schoolYear is required for Informat invoices (for example "2020-21").', ['filter', 'schoolYear']);
  checkSchoolYear(schoolYear, ['filter', 'schoolYear']);
  if (filter.paymentReference && !/^[0-9+/ ]{1,40}$/.test(filter.paymentReference)) {
    throw badInput('filter.paymentReference must be digits, or a structured reference like +++000/2823/32442+++.', ['filter', 'paymentReference']);
  }
  const conn = informatFor(ctx, filter.accessGroup ?? group?.connection);
  const selection = subtree(selectionTree(info), ['edges', 'node']);
  return conn.client.listInvoices({ accessGroup: conn.name, schoolYear, groupNumber: group?.number, filter: informatFilter(filter), selection }, first, after);
}


/** Loads one invoice by global ID; null when the ID is not an Informat invoice or Informat has none. */
export async function loadInvoice(ctx: GatewayContext, id: string, info: GraphQLResolveInfo): Promise<InvoiceModel | null> {
  const gid = decodeGlobalId(id);
  if (!gid || gid.type !== 'Invoice' || gid.source !== 'INFORMAT') return null;
  // Informat types invoice IDs as UUID and rejects the whole query otherwise; one bad ID must not
  // fail the others batched with it.
  if (!isInformatInvoiceLocal(gid.local)) return null;
  const conn = informatFor(ctx, gid.connection);
  return ctx.loaders.informatInvoices.load({ client: conn.client, accessGroup: conn.name, id: gid.local, selection: selectionTree(info) });
}

export async function loadInvoiceGroup(ctx: GatewayContext, id: string): Promise<InvoiceGroupModel | null> {
  const gid = decodeGlobalId(id);
  if (!gid || gid.type !== 'InvoiceGroup' || gid.source !== 'INFORMAT') return null;
  const ref = parseGroupRef(id);
  const conn = informatFor(ctx, gid.connection);
  const groups = await conn.client.invoiceGroups(conn.name, ref.schoolYear!, { groupNumber: ref.number });
  return groups[0] ?? null;
}

export const invoiceResolvers: Resolvers = {
  Query: {
    invoice: async (_p, { id }, ctx, info) => {
      const gid = decodeGlobalId(id);
      if (!gid || gid.type !== 'Invoice') throw badInput('id is not an invoice ID.', ['id']);
      return loadInvoice(ctx, id, info);
    },
    invoices: async (_p, { filter, first, after }, ctx, info) => listInvoices(ctx, info, filter, checkFirst(ctx, first), after ?? null),
    invoiceGroups: async (_p, { accessGroup, schoolYear, type }, ctx, info) => {
      checkSchoolYear(schoolYear, ['schoolYear']);
      const conn = informatFor(ctx, accessGroup);
      // When the caller also wants each group's invoices, fetch them in the same upstream request.
      const nested = childFieldArgs(info, 'invoices');
      const keys = new Set(nested.map((a) => filterKey(a.filter as InvoiceFilter | undefined)));
      const invoices =
        nested.length > 0 && keys.size === 1
          ? {
              filter: informatFilter(nested[0]!.filter as InvoiceFilter | undefined),
              filterKey: [...keys][0]!,
              selection: subtree(selectionTree(info), ['invoices', 'edges', 'node']),
            }
          : null;
      return conn.client.invoiceGroups(conn.name, schoolYear, { type, invoices });
    },
  },
  InvoiceGroup: {
    invoices: async (group, { filter, first, after }, ctx, info) => {
      const n = checkFirst(ctx, first);
      const conn = informatFor(ctx, group.accessGroup);
      if (group.prefetched && group.prefetched.filterKey === filterKey(filter)) {
        return conn.client.pagePrefetched(group, n, after ?? null);
      }
      return conn.client.listInvoices(
        { accessGroup: group.accessGroup, schoolYear: group.schoolYear, groupNumber: group.groupNumber, filter: informatFilter(filter), selection: subtree(selectionTree(info), ['edges', 'node']) },
        n,
        after ?? null,
      );
    },
  },
  Document: {
    url: (doc, _a, ctx) => (doc.available && doc.download ? `${ctx.baseUrl}/files/${ctx.signer.sign(doc.download)}` : null),
  },
};
