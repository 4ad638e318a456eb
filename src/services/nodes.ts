import { decodeGlobalId, type GlobalId, type NodeType } from '../domain/globalId.js';
import type { SelectionTree } from '../domain/selection.js';
import type { RequestContext } from './context.js';
import { getFeed, getFeedEntry } from './feeds.js';
import { getInvoice, getInvoiceGroup } from './invoices.js';
import { getMessage } from './messages.js';
import { getParty } from './parties.js';
import { getPayment } from './payments.js';
import { getSupplier } from './suppliers.js';

/**
 * Any object by its global ID, from every source: the ID says type, source and connection, and the
 * service of that type asks the source. A record of a connection the caller may not use is null with
 * a FORBIDDEN error; an ID that names nothing is null.
 */
const BY_TYPE: Record<NodeType, (ctx: RequestContext, id: GlobalId, selection: SelectionTree) => Promise<unknown>> = {
  Invoice: (ctx, id, selection) => getInvoice(ctx, id, selection),
  InvoiceGroup: (ctx, id) => getInvoiceGroup(ctx, id),
  Payment: (ctx, id) => getPayment(ctx, id),
  Party: (ctx, id) => getParty(ctx, id),
  Message: (ctx, id) => getMessage(ctx, id),
  Feed: (ctx, id) => getFeed(ctx, id),
  FeedEntry: (ctx, id) => getFeedEntry(ctx, id),
  PeppolSupplier: (ctx, id) => getSupplier(ctx, id),
};

export async function getNode(ctx: RequestContext, id: string, selection: SelectionTree): Promise<unknown> {
  const gid = decodeGlobalId(id);
  // The gateway's own records (a validated document's invoice) are not stored: nothing to fetch.
  if (!gid || gid.source === 'GATEWAY') return null;
  return BY_TYPE[gid.type](ctx, gid, selection);
}

export const NODE_TYPES = Object.keys(BY_TYPE) as NodeType[];
