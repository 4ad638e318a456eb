import { parsePartyIdentifier } from './identifiers.js';
import type { UserErrorModel } from './paymentInput.js';

export interface RawPartyInput {
  identifier: string;
  name: string;
  vatNumber?: string | null;
  street?: string | null;
  postalCode?: string | null;
  city?: string | null;
  countryCode: string;
  email?: string | null;
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
}

const TAX_CATEGORIES = new Set(['S', 'AA', 'Z', 'E', 'O']);

/** Checks a party of a document to send; problems are pushed into `errors` with their path. */
export function checkParty(p: RawPartyInput, path: string[], errors: UserErrorModel[], opts: { needVat: boolean }): CheckedParty | null {
  const ids = parsePartyIdentifier(p.identifier);
  if (!ids) errors.push({ code: 'INVALID_IDENTIFIER', message: `"${p.identifier}" is not a party identifier.`, field: [...path, 'identifier'] });
  if (!p.name.trim()) errors.push({ code: 'INVALID_INPUT', message: 'A party needs a name.', field: [...path, 'name'] });
  if (!/^[A-Z]{2}$/.test(p.countryCode)) errors.push({ code: 'INVALID_INPUT', message: 'countryCode must be ISO 3166-1 alpha-2, like BE.', field: [...path, 'countryCode'] });
  const vat = p.vatNumber?.trim() || (ids?.find((i) => i.scheme === '9925')?.value ?? null);
  if (opts.needVat && !vat) errors.push({ code: 'INVALID_INPUT', message: 'The seller needs a VAT number.', field: [...path, 'vatNumber'] });
  if (p.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(p.email)) errors.push({ code: 'INVALID_INPUT', message: 'email is not an e-mail address.', field: [...path, 'email'] });
  if (!ids) return null;
  return { ids, name: p.name.trim(), vatNumber: vat, street: p.street ?? null, postalCode: p.postalCode ?? null, city: p.city ?? null, countryCode: p.countryCode, email: p.email ?? null };
}

export function checkLines(lines: { description: string; taxCategory?: string | null }[], errors: UserErrorModel[]): void {
  if (lines.length === 0) errors.push({ code: 'INVALID_INPUT', message: 'An invoice needs at least one line.', field: ['input', 'lines'] });
  lines.forEach((l, i) => {
    if (!l.description.trim()) errors.push({ code: 'INVALID_INPUT', message: 'A line needs a description.', field: ['input', 'lines', String(i), 'description'] });
    if (!TAX_CATEGORIES.has((l.taxCategory ?? 'S').toUpperCase())) errors.push({ code: 'INVALID_INPUT', message: 'taxCategory must be S, AA, Z, E or O.', field: ['input', 'lines', String(i), 'taxCategory'] });
  });
}

export function checkKey(key: string, errors: UserErrorModel[]): void {
  if (key.trim().length === 0 || key.length > 200 || /[\u0000-\u001f]/.test(key)) {
    errors.push({ code: 'INVALID_INPUT', message: 'idempotencyKey must be 1 to 200 printable characters.', field: ['input', 'idempotencyKey'] });
  }
}
