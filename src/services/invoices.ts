import { decodeGlobalId, type GlobalId } from '../domain/globalId.js';
import { InvalidInputError } from '../domain/inputError.js';
import type { InvoiceGroupModel, InvoiceModel } from '../domain/models.js';
import type { SelectionTree } from '../domain/selection.js';
import type { InvoiceFilter, InvoiceGroupType } from '../generated/graphql.js';
import { capabilityFor, offers } from './access.js';
import { listAllInvoices } from './allInvoices.js';
import type { MergedPage } from '../domain/mergedPage.js';
import type { RequestContext } from './context.js';

/**
 * Invoices of one source that lists invoices (`source` INFORMAT, or an invoice group named), else
 * the list across every source (`allInvoices.ts`); `failures` are the sources that failed.
 */
export async function listInvoices(ctx: RequestContext, filter: InvoiceFilter, selection: SelectionTree, first: number, after: string | null): Promise<MergedPage<InvoiceModel>> {
  // An invoice group's ID says its connection; a plain group number does not.
  const group = filter.invoiceGroupId ? decodeGlobalId(filter.invoiceGroupId) : null;
  if (group?.connection && filter.accessGroup && group.connection !== filter.accessGroup) {
    throw new InvalidInputError('invoiceGroupId belongs to another access group than accessGroup.', ['filter', 'invoiceGroupId']);
  }
  const one = filter.invoiceGroupId || (filter.source && offers(ctx, filter.source, 'invoices'));
  if (!one) return listAllInvoices(ctx, filter, selection, first, after);
  const served = capabilityFor(ctx, 'invoices', filter.source ?? group?.source, filter.accessGroup ?? group?.connection, 'read', ['accessGroup']);
  return { page: await served.capability.list(filter, selection, first, after), failures: [] };
}

/** An invoice by global ID; null when the ID names no invoice the source has. */
export async function getInvoice(ctx: RequestContext, id: GlobalId, selection: SelectionTree): Promise<InvoiceModel | null> {
  if (id.type !== 'Invoice') return null;
  // A source of invoice lists reads its own; others read back the invoices they hand out in other records.
  if (offers(ctx, id.source, 'invoices')) return capabilityFor(ctx, 'invoices', id.source, id.connection).capability.get(id.local, selection);
  return (await capabilityFor(ctx, 'records', id.source, id.connection).capability.invoice?.(id.local)) ?? null;
}

export async function invoiceById(ctx: RequestContext, id: string, selection: SelectionTree): Promise<InvoiceModel | null> {
  const gid = decodeGlobalId(id);
  if (!gid || gid.type !== 'Invoice') throw new InvalidInputError('id is not an invoice ID.', ['id']);
  return getInvoice(ctx, gid, selection);
}

export async function getInvoiceGroup(ctx: RequestContext, id: GlobalId): Promise<InvoiceGroupModel | null> {
  if (id.type !== 'InvoiceGroup') return null;
  return capabilityFor(ctx, 'invoices', id.source, id.connection).capability.group(id.local);
}

/**
 * Invoice groups of a school year. When the caller also wants each group's invoices with one
 * filter, they come in the same upstream request (`nested`).
 */
export async function listInvoiceGroups(ctx: RequestContext, accessGroup: string | null | undefined, schoolYear: string, type: InvoiceGroupType | null | undefined, nested: { filter: InvoiceFilter | null | undefined; selection: SelectionTree } | null) {
  return capabilityFor(ctx, 'invoices', null, accessGroup, 'read', ['accessGroup']).capability.groups(schoolYear, type ?? null, nested);
}

export async function groupInvoices(ctx: RequestContext, group: InvoiceGroupModel, filter: InvoiceFilter | null | undefined, selection: SelectionTree, first: number, after: string | null) {
  return capabilityFor(ctx, 'invoices', decodeGlobalId(group.id)?.source, group.accessGroup).capability.groupInvoices(group, filter, selection, first, after);
}
