import type { UserErrorCode } from '../../generated/graphql.js';
import { address, splitEmails } from '../../domain/address.js';
import { invoiceGroupId, invoiceId } from './ids.js';

export { invoiceGroupId, invoiceId };
import { checkedMoney } from '../../domain/money.js';
import { toPaymentReference } from '../../domain/ogm.js';
import type { DocumentModel, InvoiceGroupModel, InvoiceModel, PostalContactModel } from '../../domain/models.js';
import type { WireInvoice, WireInvoiceGroup } from './wire.js';

/** Pure mapping from Informat's wire shapes to the unified domain models. */

const nonBlank = (s: string | null | undefined): string | null => (s && s.trim() !== '' ? s : null);
/** Informat prints IBANs with dots (`BE94.0622.1062.4514`); the unified form has no separators. */
export const normalizeIban = (s: string | null | undefined): string | null => (s ? s.replace(/[^A-Za-z0-9]/g, '').toUpperCase() || null : null);


export function toInvoiceGroup(accessGroup: string, g: WireInvoiceGroup): InvoiceGroupModel {
  return {
    id: invoiceGroupId(accessGroup, g.schoolYear, g.id),
    accessGroup,
    groupNumber: g.id,
    name: g.name,
    type: g.invoiceGroupType,
    schoolYear: g.schoolYear,
    fromDate: nonBlank(g.fromDate),
    toDate: nonBlank(g.toDate),
  };
}

/** "description – extra name", either alone, or null; written without arrays (it runs for every line of every invoice). */
function lineDescription(description: string | null, extra: string | null): string | null {
  if (description && extra) return `${description} – ${extra}`;
  return description ?? extra;
}

function toContact(a: NonNullable<WireInvoice['invoiceAddress']>): PostalContactModel {
  return {
    title: nonBlank(a.title),
    name: nonBlank(a.name),
    address: address({ street: a.street ?? null, number: a.number ?? null, box: a.busNumber ?? null, postalCode: a.zip ?? null, city: a.city ?? null, countryCode: 'BE' }),
    emails: splitEmails(a.emailAddresses),
    relations: (a.relations ?? []).map((r) => ({ name: nonBlank(r.name), title: nonBlank(r.title), rank: r.lpv ?? null })),
  };
}

function pdfDocument(accessGroup: string, w: WireInvoice): DocumentModel {
  const base = w.paymentReference ? `invoice-${w.paymentReference}` : `invoice-${w.invoiceId}`;
  const name = `${w.invoiceType === 'CREDIT_NOTE' ? base.replace('invoice', 'creditnote') : base}.pdf`;
  const available = Boolean(w.imageUrl);
  return {
    name,
    folder: null,
    format: 'pdf',
    contentType: 'application/pdf',
    available,
    download: available ? { source: 'INFORMAT', connection: accessGroup, kind: 'informat-pdf', ref: w.invoiceId.toLowerCase(), name, contentType: 'application/pdf' } : null,
  };
}

/**
 * Maps one invoice. `group` is the group the invoice was listed under, when it came from a group
 * list; a single-invoice answer carries its own `invoiceGroup` when it was asked for.
 */
export function toInvoice(accessGroup: string, w: WireInvoice, group: InvoiceGroupModel | null): InvoiceModel {
  const wireGroup = w.invoiceGroup ? toInvoiceGroup(accessGroup, w.invoiceGroup) : null;
  const m = w.mandate;
  return {
    id: invoiceId(accessGroup, w.invoiceId),
    source: 'INFORMAT',
    direction: 'OUTBOUND',
    kind: w.invoiceType,
    number: null,
    issueDate: nonBlank(w.printDate),
    dueDate: nonBlank(w.dueDate),
    total: checkedMoney(w.total),
    paid: w.paid == null ? null : checkedMoney(w.paid),
    open: w.open == null ? null : checkedMoney(w.open),
    paymentReference: w.paymentReference ? toPaymentReference(w.paymentReference) : null,
    seller: null,
    buyer: null,
    recipient: w.recipient
      ? {
          id: w.recipient.id,
          firstName: nonBlank(w.recipient.firstName),
          lastName: nonBlank(w.recipient.lastName),
          birthDate: nonBlank(w.recipient.birthDate),
          studentNumber: nonBlank(w.recipient.stamNumber),
          className: nonBlank(w.recipient.class),
          institute: nonBlank(w.recipient.institute),
        }
      : null,
    lines: (w.itemGroups ?? []).flatMap((g) =>
      g.items.map((i) => ({
        group: g.code,
        description: lineDescription(nonBlank(i.description), nonBlank(i.extraName)) ?? (g.description || g.code),
        quantity: i.quantity,
        unitPrice: checkedMoney(i.unitPrice),
        discount: i.discountAmount == null ? null : checkedMoney(i.discountAmount),
        discountPercent: i.discountPercentage ?? null,
        taxPercent: null,
        accountCode: nonBlank(g.glAccountCode),
        total: checkedMoney(i.total),
      })),
    ),
    documents: w.imageUrl === undefined ? [] : [pdfDocument(accessGroup, w)],
    payments: [],
    createdAt: nonBlank(w.created),
    updatedAt: nonBlank(w.changed),
    informat: {
      invoiceGroup: wireGroup ?? group,
      mandate: m && m.mandateReference
        ? {
            reference: m.mandateReference,
            creditorId: nonBlank(m.creditorId),
            signedOn: nonBlank(m.beginDate),
            debtorIban: normalizeIban(m.ibanParent),
            debtorBic: nonBlank(m.bicParent),
            creditorIban: normalizeIban(m.ibanSchool),
          }
        : null,
      invoiceAddress: w.invoiceAddress ? toContact(w.invoiceAddress) : null,
      homeAddress: w.homeAddress ? toContact(w.homeAddress) : null,
      exactOnlineEntry: w.eolEntryNumber == null ? null : String(w.eolEntryNumber),
      relatedPaymentReference: w.paymentReferenceInvoice ? toPaymentReference(w.paymentReferenceInvoice) : null,
    },
  };
}

/** Stable codes for the payment endpoint's documented 400 messages; matched on the documented text. */
export function paymentRejectionCode(status: number, message: string): UserErrorCode {
  if (status === 403) return 'FORBIDDEN';
  if (/OGM mismatch/i.test(message)) return 'OGM_MISMATCH';
  if (/Invoice not found/i.test(message)) return 'NOT_BOOKED';
  if (/Period not found/i.test(message)) return 'PERIOD_NOT_FOUND';
  if (/Journal .*not found/i.test(message)) return 'JOURNAL_NOT_FOUND';
  if (/Section Id not found/i.test(message)) return 'SECTION_NOT_FOUND';
  return 'UPSTREAM_REJECTED';
}
