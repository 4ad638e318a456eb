/**
 * Belgian structured communication (OGM/VCS): 12 digits whose last two are the first ten mod 97,
 * with 97 standing for a remainder of 0. Printed `+++ddd/dddd/ddddd+++` (`***` also accepted).
 */

export interface PaymentReferenceModel {
  raw: string;
  structured: boolean;
  formatted: string | null;
}

/** Strips the printed decorations; returns the 12 digits, or null when it is not OGM-shaped. */
export function normalizeOgm(input: string): string | null {
  const digits = input.replace(/[+*/\s.]/g, '');
  return /^[0-9]{12}$/.test(digits) ? digits : null;
}

export function ogmCheckDigits(first10: string): number {
  const r = Number(BigInt(first10) % 97n);
  return r === 0 ? 97 : r;
}

export function isValidOgm(digits12: string): boolean {
  if (!/^[0-9]{12}$/.test(digits12)) return false;
  return ogmCheckDigits(digits12.slice(0, 10)) === Number(digits12.slice(10));
}

export function formatOgm(digits12: string): string {
  return `+++${digits12.slice(0, 3)}/${digits12.slice(3, 7)}/${digits12.slice(7)}+++`;
}

/** Makes a valid OGM from a number of at most 10 digits (used by the sandbox to seed data). */
export function makeOgm(base: number | bigint): string {
  const first10 = String(base).padStart(10, '0');
  if (first10.length !== 10) throw new RangeError(`OGM base ${base} has more than 10 digits`);
  return first10 + String(ogmCheckDigits(first10)).padStart(2, '0');
}

/** A reference as the upstream gave it, with whether it is a valid OGM and its printed form. */
export function toPaymentReference(raw: string): PaymentReferenceModel {
  const digits = normalizeOgm(raw);
  const structured = digits !== null && isValidOgm(digits);
  return { raw, structured, formatted: structured ? formatOgm(digits) : null };
}
