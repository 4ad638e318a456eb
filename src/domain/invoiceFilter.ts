import { compareDecimals, isDecimal } from './money.js';
import type { InvoiceModel } from './models.js';

/**
 * The unified invoice filter applied to invoices a source cannot filter itself (a feed's, a
 * message's): the same meaning as where it is pushed down to the upstream (Informat).
 */
export interface InvoiceFilterModel {
  direction?: 'INBOUND' | 'OUTBOUND' | null;
  kind?: 'INVOICE' | 'CREDIT_NOTE' | null;
  openOnly?: boolean | null;
  changedSince?: string | null;
  minTotal?: string | null;
  paymentReference?: string | null;
}

const digits = (s: string) => s.replace(/\D/g, '');

export function invoiceMatches(f: InvoiceFilterModel, inv: InvoiceModel): boolean {
  if (f.direction && inv.direction !== f.direction) return false;
  if (f.kind && inv.kind !== f.kind) return false;
  // An invoice whose open amount the source does not know is not shown as open.
  if (f.openOnly && (!inv.open || compareDecimals(inv.open.amount, '0') === 0)) return false;
  if (f.changedSince) {
    const changed = inv.updatedAt ?? inv.createdAt;
    if (!changed || Date.parse(changed) < Date.parse(f.changedSince)) return false;
  }
  if (f.minTotal && isDecimal(f.minTotal) && compareDecimals(inv.total.amount, f.minTotal) < 0) return false;
  if (f.paymentReference && (!inv.paymentReference || digits(inv.paymentReference.raw) !== digits(f.paymentReference))) return false;
  return true;
}

/** Newest issue date first; invoices without one last; ties by ID, so the order is total. */
export function newestIssuedFirst(a: InvoiceModel, b: InvoiceModel): number {
  if (a.issueDate !== b.issueDate) {
    if (!a.issueDate) return 1;
    if (!b.issueDate) return -1;
    return a.issueDate < b.issueDate ? 1 : -1;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The Belgian school year a day falls in (it starts on 1 September), in Informat's form `2026-27`. */
export function schoolYearOf(day: Date): string {
  const y = day.getUTCFullYear();
  const start = day.getUTCMonth() >= 8 ? y : y - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}
