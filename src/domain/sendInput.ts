import { explainIdentifier, parsePartyIdentifier } from './identifiers.js';
import type { UserErrorModel } from './paymentInput.js';
import { quote } from './quote.js';

export interface RawPartyInput {
  identifier: string;
  name: string;
  vatNumber?: string | null;
  street?: string | null;
  postalCode?: string | null;
  city?: string | null;
  countryCode: string;
  email?: string | null;
  iban?: string | null;
}

/** An invoice or credit note to send, checked, in the unified model (every channel writes it its own way). */
export interface InvoiceInputModel {
  kind: 'INVOICE' | 'CREDIT_NOTE';
  number: string;
  issueDate: string;
  dueDate: string | null;
  currency: string;
  buyerReference: string | null;
  orderReference: string | null;
  seller: CheckedParty;
  buyer: CheckedParty;
  lines: { itemNumber: string | null; description: string; quantity: string; unitCode: string; unitPrice: string; taxPercent: string; taxCategory: string; exemptionReason: string | null }[];
  /** Document-level allowances (EN16931 BG-20). */
  allowances: { reason: string; amount: string; taxPercent: string; taxCategory: string }[];
  /** What the buyer quotes when paying: a Belgian OGM as 12 digits, or free text. */
  paymentReference: string | null;
  /** The PDF rendition, base64. */
  pdf: string | null;
}

export interface CheckedParty {
  ids: NonNullable<ReturnType<typeof parsePartyIdentifier>>;
  name: string;
  vatNumber: string | null;
  street: string | null;
  postalCode: string | null;
  city: string | null;
  countryCode: string;
  email: string | null;
  /** The account to pay into (seller only). */
  iban: string | null;
}

const TAX_CATEGORIES = new Set(['S', 'AA', 'Z', 'E', 'O']);

/** Checks a party of a document to send; problems are pushed into `errors` with their path. */
export function checkParty(p: RawPartyInput, path: string[], errors: UserErrorModel[], opts: { needVat: boolean }): CheckedParty | null {
  const ids = parsePartyIdentifier(p.identifier);
  const tooLong = (name: keyof RawPartyInput, max: number) => {
    const v = p[name];
    if (typeof v === 'string' && v.length > max) errors.push({ code: 'INVALID_INPUT', message: `${name} is at most ${max} characters.`, field: [...path, name] });
  };
  tooLong('name', 200);
  tooLong('street', 200);
  tooLong('city', 100);
  tooLong('postalCode', 20);
  tooLong('vatNumber', 30);
  tooLong('email', 254);
  if (!ids) errors.push({ code: 'INVALID_IDENTIFIER', message: `${quote(p.identifier)} is not a party identifier: ${explainIdentifier(p.identifier)}.`, field: [...path, 'identifier'] });
  if (!p.name.trim()) errors.push({ code: 'INVALID_INPUT', message: 'A party needs a name.', field: [...path, 'name'] });
  if (!/^[A-Z]{2}$/.test(p.countryCode)) errors.push({ code: 'INVALID_INPUT', message: 'countryCode must be ISO 3166-1 alpha-2, like BE.', field: [...path, 'countryCode'] });
  const vat = p.vatNumber?.trim() || (ids?.find((i) => i.scheme === '9925')?.value ?? null);
  if (opts.needVat && !vat) errors.push({ code: 'INVALID_INPUT', message: 'The seller needs a VAT number.', field: [...path, 'vatNumber'] });
  if (p.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(p.email)) errors.push({ code: 'INVALID_INPUT', message: 'email is not an e-mail address.', field: [...path, 'email'] });
  const iban = p.iban?.replace(/\s/g, '').toUpperCase() || null;
  if (iban && !isIban(iban)) errors.push({ code: 'INVALID_INPUT', message: `${quote(p.iban!)} is not an IBAN (its check digits do not match).`, field: [...path, 'iban'] });
  if (!ids) return null;
  return { ids, name: p.name.trim(), vatNumber: vat, street: p.street ?? null, postalCode: p.postalCode ?? null, city: p.city ?? null, countryCode: p.countryCode, email: p.email ?? null, iban };
}

/** A line of an invoice to send, as the caller gave it. */
export interface RawLineInput {
  itemNumber?: string | null;
  description: string;
  quantity: string;
  unitCode?: string | null;
  unitPrice: string;
  taxPercent: string;
  taxCategory?: string | null;
  taxExemptionReason?: string | null;
}

/** Most lines one invoice may carry through the gateway. */
export const MAX_LINES = 1000;

/** Digits before and after the point in a decimal string. */
function digits(value: string): { int: number; frac: number } {
  const [i = '', f = ''] = value.replace(/^[-+]/, '').split('.');
  return { int: i.replace(/^0+(?=\d)/, '').length, frac: f.length };
}

/**
 * The lines' business rules, before anything is sent:
 * - quantity and unit price at most 12 integer and 6 fraction digits (EN16931 amounts are
 *   decimals; nothing real needs more, and the gateway computes totals from them);
 * - VAT rate from 0 to 100 with at most 2 decimals; category S, AA, Z, E or O (UNCL5305), with the
 *   rate 0 for Z, E and O (BR-Z-05, BR-E-05, BR-O-05) and above 0 for S and AA (BR-S-05);
 * - unit code shaped like UN/ECE Recommendation 20 (2 or 3 capitals and digits);
 * - description up to 1,000 characters, item number up to 200 (EN16931 sets no lengths; these
 *   bound what one request may push upstream).
 */
export function checkLines(lines: RawLineInput[], errors: UserErrorModel[]): void {
  if (lines.length === 0) errors.push({ code: 'INVALID_INPUT', message: 'An invoice needs at least one line.', field: ['input', 'lines'] });
  if (lines.length > MAX_LINES) {
    errors.push({ code: 'INVALID_INPUT', message: `An invoice may have at most ${MAX_LINES} lines.`, field: ['input', 'lines'] });
    return;
  }
  lines.forEach((l, i) => {
    const at = (name: string) => ['input', 'lines', String(i), name];
    const bad = (name: string, message: string) => errors.push({ code: 'INVALID_INPUT', message, field: at(name) });
    if (!l.description.trim()) bad('description', 'A line needs a description.');
    else if (l.description.length > 1000) bad('description', 'description is at most 1,000 characters.');
    if (l.itemNumber != null && (l.itemNumber.length > 200 || !l.itemNumber.trim())) bad('itemNumber', 'itemNumber is 1 to 200 characters.');
    for (const name of ['quantity', 'unitPrice'] as const) {
      const d = digits(l[name]);
      if (d.int > 12 || d.frac > 6) bad(name, `${name} may have at most 12 digits before the point and 6 after it.`);
    }
    if (l.unitPrice.startsWith('-')) bad('unitPrice', 'unitPrice must not be negative (BR-27); use a negative quantity for a return.');
    const category = (l.taxCategory ?? 'S').toUpperCase();
    if (!TAX_CATEGORIES.has(category)) bad('taxCategory', 'taxCategory must be S, AA, Z, E or O.');
    const rate = digits(l.taxPercent);
    const value = Number(l.taxPercent);
    if (l.taxPercent.startsWith('-') || value > 100 || rate.frac > 2) bad('taxPercent', 'taxPercent is a VAT rate from 0 to 100 with at most 2 decimals, like "21".');
    else if ((category === 'Z' || category === 'E' || category === 'O') && value !== 0) bad('taxPercent', `A line of VAT category ${category} has the rate 0 (BR-${category}-05).`);
    else if ((category === 'S' || category === 'AA') && value === 0) bad('taxPercent', `A line of VAT category ${category} has a rate above 0 (BR-S-05); use Z for zero-rated goods.`);
    if (category === 'E' && !l.taxExemptionReason?.trim()) bad('taxExemptionReason', 'A VAT-exempt line (category E) needs taxExemptionReason (BR-E-10).');
    if (l.taxExemptionReason != null && l.taxExemptionReason.length > 500) bad('taxExemptionReason', 'taxExemptionReason is at most 500 characters.');
    if (l.unitCode != null && !/^[A-Z0-9]{2,3}$/.test(l.unitCode)) bad('unitCode', 'unitCode is a UN/ECE Recommendation 20 code, like C62 (unit), HUR (hour) or KGM (kilogram).');
  });
}

/** The invoice's own fields: references and dates within bounds, the due date not before the issue date. */
export function checkInvoiceHead(input: { number: string; issueDate: string; dueDate?: string | null; buyerReference?: string | null; orderReference?: string | null; paymentReference?: string | null; pdf?: string | null }, errors: UserErrorModel[]): void {
  const bad = (name: string, message: string) => errors.push({ code: 'INVALID_INPUT', message, field: ['input', name] });
  if (!input.number.trim()) bad('number', 'number is required.');
  else if (input.number.length > 200 || /[\u0000-\u001f]/.test(input.number)) bad('number', 'number is at most 200 printable characters.');
  for (const name of ['buyerReference', 'orderReference'] as const) {
    const v = input[name];
    if (v != null && v.length > 200) bad(name, `${name} is at most 200 characters.`);
  }
  if (input.paymentReference != null && input.paymentReference.length > 140) bad('paymentReference', 'paymentReference is at most 140 characters.');
  if (input.dueDate && input.dueDate < input.issueDate) bad('dueDate', `dueDate (${input.dueDate}) is before issueDate (${input.issueDate}).`);
  if (input.pdf != null && (input.pdf.length > 14_000_000 || !/^[A-Za-z0-9+/]*={0,2}$/.test(input.pdf))) bad('pdf', 'pdf is a base64 PDF of at most 10 MB.');
}

/** Document-level allowances: a reason, a positive amount with cents, and a VAT category like a line's. */
export function checkAllowances(allowances: { reason: string; amount: string; taxPercent: string; taxCategory?: string | null }[], errors: UserErrorModel[]): void {
  if (allowances.length > 100) errors.push({ code: 'INVALID_INPUT', message: 'An invoice may have at most 100 allowances.', field: ['input', 'allowances'] });
  allowances.slice(0, 100).forEach((a, i) => {
    const bad = (name: string, message: string) => errors.push({ code: 'INVALID_INPUT', message, field: ['input', 'allowances', String(i), name] });
    if (!a.reason.trim() || a.reason.length > 200) bad('reason', 'An allowance needs a reason of at most 200 characters (BR-33).');
    const d = digits(a.amount);
    if (a.amount.startsWith('-') || Number(a.amount) === 0 || d.int > 12 || d.frac > 2) bad('amount', 'amount is above 0 with at most 2 decimals.');
    const category = (a.taxCategory ?? 'S').toUpperCase();
    if (!TAX_CATEGORIES.has(category) || category === 'E' || category === 'O') bad('taxCategory', 'An allowance is in VAT category S, AA or Z.');
    const value = Number(a.taxPercent);
    if (a.taxPercent.startsWith('-') || !(value >= 0 && value <= 100) || digits(a.taxPercent).frac > 2) bad('taxPercent', 'taxPercent is a VAT rate from 0 to 100 with at most 2 decimals.');
    else if (category === 'Z' && value !== 0) bad('taxPercent', 'A zero-rated allowance has the rate 0.');
  });
}

/** ISO 13616 check digits: the account moved behind the country and read as a number, mod 97 is 1. */
export function isIban(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(iban)) return false;
  const digitsOnly = (iban.slice(4) + iban.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const ch of digitsOnly) rest = (rest * 10 + Number(ch)) % 97;
  return rest === 1;
}

export function checkKey(key: string, errors: UserErrorModel[]): void {
  if (key.trim().length === 0 || key.length > 200 || /[\u0000-\u001f]/.test(key)) {
    errors.push({ code: 'INVALID_INPUT', message: 'idempotencyKey must be 1 to 200 printable characters.', field: ['input', 'idempotencyKey'] });
  }
}
