import DataLoader from 'dataloader';
import { isInformatInvoiceLocal } from '../../domain/globalId.js';
import { groupOfLocal, readGroupId } from './ids.js';
import { InvalidInputError } from '../../domain/inputError.js';
import type { InvoiceModel } from '../../domain/models.js';
import type { Page } from '../../domain/page.js';
import { quote } from '../../domain/quote.js';
import type { SelectionTree } from '../../domain/selection.js';
import type { InvoiceFilter } from '../../generated/graphql.js';
import { perOperationValue } from '../../http/index.js';
import { chunk } from '../../loaders/batching.js';
import type { InvoicesCapability, PaymentsCapability } from '../types.js';
import type { InformatClient } from './client.js';
import { FULL_INVOICE_SELECTION, type InformatInvoiceFilter } from './query.js';

const EMPTY_PAGE: Page<never> = { edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null }, totalCount: 0 };

/** How many invoices one Informat query asks for; more IDs make more queries, so no query grows without bound. */
export const INVOICES_PER_QUERY = 50;

/** The Informat part of a unified filter. */
function informatFilter(f: InvoiceFilter | null | undefined): InformatInvoiceFilter {
  if (f?.paymentReference && !/^[0-9+/ ]{1,40}$/.test(f.paymentReference)) {
    throw new InvalidInputError('filter.paymentReference must be digits, or a structured reference like +++000/2823/32442+++.', ['filter', 'paymentReference']);
  }
  return { openOnly: f?.openOnly, changedSince: f?.changedSince, minTotal: f?.minTotal, paymentReference: f?.paymentReference, kind: f?.kind };
}

/** Stable key of what a filter asks the upstream, so prefetched invoices are reused only for the same filter. */
const filterKey = (f: InvoiceFilter | null | undefined) => JSON.stringify(informatFilter(f), Object.keys(informatFilter(f)).sort());

/** Informat's two school-year forms: `2020-21`, or the registration form `01/09/2020-31/08/2021`. */
function checkSchoolYear(value: string, field: string[]): string {
  if (!/^\d{4}-\d{2}$|^\d{2}\/\d{2}\/\d{4}-\d{2}\/\d{2}\/\d{4}$/.test(value)) {
    throw new InvalidInputError(`${quote(value)} is not a school year; write it like "2020-21" (or "01/09/2020-31/08/2021" for registration groups).`, field);
  }
  return value;
}

/** `invoiceGroupId` is a global ID or a plain Informat group number. */
function parseGroupRef(raw: string): { schoolYear: string | null; number: number } {
  if (/^[0-9]+$/.test(raw)) return { schoolYear: null, number: Number(raw) };
  const group = readGroupId(raw);
  if (!group) throw new InvalidInputError('invoiceGroupId is not an invoice group ID.', ['filter', 'invoiceGroupId']);
  return group;
}

/**
 * Informat invoices and payments for one access group. Invoices asked by ID in one tick of an
 * operation (`nodes(ids)`, several `invoice` fields) go to Informat as one aliased query per
 * selection, at most INVOICES_PER_QUERY IDs each.
 */
export function informatInvoicing(ag: string, client: InformatClient): { invoices: InvoicesCapability; payments: PaymentsCapability } {
  const byId = () =>
    perOperationValue(
      `informat-invoices|${ag}`,
      () =>
        new DataLoader<{ id: string; selection: SelectionTree }, InvoiceModel | null, string>(
          async (keys) => {
            const bySelection = new Map<string, { id: string; selection: SelectionTree }[]>();
            for (const k of keys) {
              const s = JSON.stringify(k.selection);
              bySelection.set(s, [...(bySelection.get(s) ?? []), k]);
            }
            const found = new Map<string, InvoiceModel | null | Error>();
            const key = (k: { id: string; selection: SelectionTree }) => `${JSON.stringify(k.selection)}\u0000${k.id.toLowerCase()}`;
            const batches = [...bySelection.values()].flatMap((group) => chunk(group, INVOICES_PER_QUERY));
            await Promise.all(
              batches.map(async (batch) => {
                try {
                  const invoices = await client.invoices(ag, batch.map((k) => k.id), batch[0]!.selection);
                  batch.forEach((k, i) => found.set(key(k), invoices[i] ?? null));
                } catch (err) {
                  batch.forEach((k) => found.set(key(k), err as Error));
                }
              }),
            );
            return keys.map((k) => found.get(key(k))!);
          },
          { cacheKeyFn: (k) => `${JSON.stringify(k.selection)}\u0000${k.id.toLowerCase()}` },
        ),
    );

  const invoices: InvoicesCapability = {
    async list(filter, selection, first, after) {
      // Informat invoices are issued by the school: there are no inbound ones.
      if (filter.direction === 'INBOUND') return EMPTY_PAGE;
      const group = filter.invoiceGroupId ? parseGroupRef(filter.invoiceGroupId) : null;
      const schoolYear = filter.schoolYear ?? group?.schoolYear ?? null;
      if (!schoolYear) throw new InvalidInputError('filter.schoolYear is required for Informat invoices (for example "2020-21").', ['filter', 'schoolYear']);
      checkSchoolYear(schoolYear, ['filter', 'schoolYear']);
      return client.listInvoices({ accessGroup: ag, schoolYear, groupNumber: group?.number, filter: informatFilter(filter), selection }, first, after);
    },
    // Informat types invoice IDs as UUID and rejects the whole query otherwise; one bad ID must not fail the others batched with it.
    get: async (local, selection) => (isInformatInvoiceLocal(local) ? byId().load({ id: local, selection }) : null),
    async groups(schoolYear, type, nested) {
      checkSchoolYear(schoolYear, ['schoolYear']);
      const prefetch = nested ? { filter: informatFilter(nested.filter), filterKey: filterKey(nested.filter), selection: nested.selection } : null;
      return client.invoiceGroups(ag, schoolYear, { type, invoices: prefetch });
    },
    async group(local) {
      const { number, schoolYear } = groupOfLocal(local);
      return (await client.invoiceGroups(ag, schoolYear, { groupNumber: number }))[0] ?? null;
    },
    async groupInvoices(group, filter, selection, first, after) {
      if (group.prefetched && group.prefetched.filterKey === filterKey(filter)) return client.pagePrefetched(group, first, after);
      return client.listInvoices({ accessGroup: ag, schoolYear: group.schoolYear, groupNumber: group.groupNumber, filter: informatFilter(filter), selection }, first, after);
    },
    async requestPdf(local) {
      if (!isInformatInvoiceLocal(local)) return { ok: false, error: { code: 'INVALID_ID', message: 'invoiceId names no Informat invoice.', field: ['invoiceId'] } };
      const r = await client.requestPdf(ag, local);
      return r.ok ? { ok: true } : { ok: false, error: { code: r.code, message: `Informat refused: ${r.message}`, field: ['invoiceId'] } };
    },
  };

  const payments: PaymentsCapability = {
    async prepare(local) {
      // The full invoice is read now and stored with the result, so a replay needs no upstream call.
      const invoice = await client.invoice(ag, local, FULL_INVOICE_SELECTION);
      if (!invoice) return { ok: false, error: { code: 'NOT_FOUND', message: 'Informat has no booked invoice with this ID in this access group.', field: ['input', 'invoiceId'] } };
      const reference = invoice.paymentReference?.raw;
      if (!reference) return { ok: false, error: { code: 'NOT_BOOKED', message: 'The invoice has no payment reference yet.', field: ['input', 'invoiceId'] } };
      return { ok: true, invoice, reference };
    },
    async register(local, p) {
      const outcome = await client.registerPayment(ag, local, { paymentReference: p.reference, amount: p.amount, date: p.date, badDebt: p.badDebt });
      if (!outcome.ok) return { ok: false, error: { code: outcome.code, message: `Informat refused the payment: ${outcome.message}`, field: null } };
      return { ok: true, totals: { total: outcome.totals.totalAmount, paid: outcome.totals.totalPaid, open: outcome.totals.openAmount } };
    },
  };
  return { invoices, payments };
}
