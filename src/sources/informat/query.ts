import { normalizeOgm } from '../../domain/ogm.js';

/**
 * Builds Informat GraphQL queries: the unified fields a caller selected become the Informat fields
 * to fetch, and unified filters become Informat `where` arguments. Nothing the caller did not ask
 * for is fetched; everything a filter can say is said upstream.
 */

import type { SelectionTree } from '../../domain/selection.js';

export type { SelectionTree };

const RECIPIENT = 'recipient { id firstName lastName birthDate stamNumber institute class }';
const ADDRESS = 'databaseId title name street number busNumber zip city emailAddresses relations { name title lpv }';
const ITEM_GROUPS = 'itemGroups { code description glAccountCode total items { description extraName quantity unitPrice discountPercentage discountAmount total } }';
const GROUP = 'id name fromDate toDate invoiceGroupType schoolYear';

/** Unified Invoice field -> Informat fields it needs. */
const INVOICE_FIELDS: Record<string, string[]> = {
  issueDate: ['printDate'],
  dueDate: ['dueDate'],
  paid: ['paid'],
  open: ['open'],
  paymentReference: ['paymentReference'],
  recipient: [RECIPIENT],
  lines: [ITEM_GROUPS],
  documents: ['imageUrl', 'paymentReference'],
  createdAt: ['created'],
  updatedAt: ['changed'],
};
const INFORMAT_DETAILS: Record<string, string[]> = {
  invoiceGroup: [`invoiceGroup { ${GROUP} }`],
  mandate: ['mandate { beginDate creditorId ibanSchool mandateReference ibanParent bicParent }'],
  invoiceAddress: [`invoiceAddress { ${ADDRESS} }`],
  homeAddress: [`homeAddress { ${ADDRESS} }`],
  exactOnlineEntry: ['eolEntryNumber'],
  relatedPaymentReference: ['paymentReferenceInvoice'],
};

/** Every unified field, for callers that need the whole invoice (the payment ledger's snapshot). */
export const FULL_INVOICE_SELECTION: SelectionTree = Object.fromEntries([
  ...Object.keys(INVOICE_FIELDS).map((f) => [f, {}]),
  ['informat', Object.fromEntries(Object.keys(INFORMAT_DETAILS).map((f) => [f, {}]))],
]);

/**
 * The Informat selection for an invoice. `invoiceId`, `invoiceType` and `total` are always fetched:
 * they make the ID, `kind` and `total`, which are never null. `withGroup` adds the invoice's group
 * where the query does not already know it (single-invoice lookups).
 */
export function invoiceSelection(tree: SelectionTree, opts: { withGroup?: boolean } = {}): string {
  const out = new Set(['invoiceId', 'invoiceType', 'total']);
  for (const field of Object.keys(tree)) for (const f of INVOICE_FIELDS[field] ?? []) out.add(f);
  const details = tree.informat ?? {};
  for (const field of Object.keys(details)) {
    if (field === 'invoiceGroup' && !opts.withGroup) continue;
    for (const f of INFORMAT_DETAILS[field] ?? []) out.add(f);
  }
  return [...out].join(' ');
}

/** Literal values for `where` arguments; strings are escaped, enums and numbers printed bare. */
export class EnumLiteral {
  constructor(readonly name: string) {
    if (!/^[A-Z_]+$/.test(name)) throw new RangeError(`not an enum literal: ${name}`);
  }
}
export class NumberLiteral {
  constructor(readonly text: string) {
    if (!/^-?[0-9]+(\.[0-9]+)?$/.test(text)) throw new RangeError(`not a number literal: ${text}`);
  }
}
export type Literal = string | number | boolean | EnumLiteral | NumberLiteral | Literal[] | { [key: string]: Literal };

/** Prints a GraphQL literal. JSON string syntax is valid GraphQL string syntax, so escaping is JSON's. */
export function printLiteral(v: Literal): string {
  if (v instanceof EnumLiteral) return v.name;
  if (v instanceof NumberLiteral) return v.text;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new RangeError('not a finite number');
    return String(v);
  }
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(printLiteral).join(', ')}]`;
  return `{${Object.entries(v).map(([k, x]) => `${k}: ${printLiteral(x)}`).join(', ')}}`;
}

export interface InformatInvoiceFilter {
  openOnly?: boolean | null;
  changedSince?: string | null;
  minTotal?: string | null;
  paymentReference?: string | null;
  kind?: 'INVOICE' | 'CREDIT_NOTE' | null;
}

/** The `where` of `invoices(...)`, or null when nothing filters. */
export function invoiceWhere(f: InformatInvoiceFilter): Literal | null {
  const parts: Literal[] = [];
  if (f.openOnly) parts.push({ open: { neq: new NumberLiteral('0') } });
  if (f.changedSince) parts.push({ changed: { gte: f.changedSince } });
  if (f.minTotal) parts.push({ total: { gte: new NumberLiteral(f.minTotal) } });
  if (f.paymentReference) parts.push({ paymentReference: { eq: normalizeOgm(f.paymentReference) ?? f.paymentReference } });
  if (f.kind) parts.push({ invoiceType: { eq: new EnumLiteral(f.kind) } });
  if (parts.length === 0) return null;
  return parts.length === 1 ? parts[0]! : { and: parts };
}

/** The `where` of `invoiceGroups(...)`, or null. */
export function groupWhere(f: { groupNumber?: number | null; type?: string | null }): Literal | null {
  const parts: Literal[] = [];
  if (f.groupNumber != null) parts.push({ id: { eq: f.groupNumber } });
  if (f.type) parts.push({ invoiceGroupType: { eq: new EnumLiteral(f.type) } });
  if (parts.length === 0) return null;
  return parts.length === 1 ? parts[0]! : { and: parts };
}

const whereArg = (w: Literal | null) => (w === null ? '' : `where: ${printLiteral(w)}`);

/** Groups of a school year, optionally with their invoices. */
export function groupsQuery(opts: { groupWhere: Literal | null; invoices: { where: Literal | null; selection: string } | null }): string {
  const gw = whereArg(opts.groupWhere);
  const invoices = opts.invoices ? ` invoices${opts.invoices.where ? `(${whereArg(opts.invoices.where)})` : ''} { ${opts.invoices.selection} }` : '';
  return `query InvoiceGroups($accessGroupIdentifier: String!, $schoolYear: String!) { accessGroup(accessGroupIdentifier: $accessGroupIdentifier) { invoiceGroups(schoolYear: $schoolYear${gw ? `, ${gw}` : ''}) { ${GROUP}${invoices} } } }`;
}

/** Invoices by ID in one request: `invoice` once per ID under aliases `i0`, `i1`, … with variables of the same names. */
export function invoicesQuery(selection: string, count: number): string {
  const vars = Array.from({ length: count }, (_, i) => `$i${i}: UUID!`).join(', ');
  const fields = Array.from({ length: count }, (_, i) => `i${i}: invoice(invoiceId: $i${i}) { ${selection} }`).join(' ');
  return `query Invoices($accessGroupIdentifier: String!, ${vars}) { accessGroup(accessGroupIdentifier: $accessGroupIdentifier) { ${fields} } }`;
}

export const PING_QUERY = 'query Ping($accessGroupIdentifier: String!) { accessGroup(accessGroupIdentifier: $accessGroupIdentifier) { guid } }';
