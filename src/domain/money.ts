import { quote } from './quote.js';
import Big from 'big.js';

/**
 * Amounts are exact decimal strings end to end. Upstream JSON numbers are turned into strings
 * with `String(n)`: for decimal literals of at most 15 significant digits (every euro amount below
 * 10^13 with cents) the shortest round-trip form of the parsed double is the literal itself, so no
 * digit is lost; trailing zeros are restored by `toScale`.
 */

export interface MoneyModel {
  amount: string;
  currency: string;
}

const DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;

export function isDecimal(value: string): boolean {
  return DECIMAL.test(value);
}

/** Number of digits after the decimal point of a decimal string. */
export function scaleOf(value: string): number {
  const dot = value.indexOf('.');
  return dot < 0 ? 0 : value.length - dot - 1;
}

/** Exact decimal string from a wire value (JSON number or string), at least `minScale` decimals. */
export function decimalFromWire(value: number | string, minScale = 2): string {
  // A finite JSON number written out is always a plain decimal; only strings need the check.
  const text = typeof value === 'number' ? numberToPlain(value) : value.trim();
  if (typeof value !== 'number' && !isDecimal(text)) throw new TypeError(`not a decimal: ${quote(String(value))}`);
  // Padding with zeros is all that is needed; this runs for every amount of every invoice, so no Big here.
  const scale = scaleOf(text);
  if (scale >= minScale) return text;
  return (scale === 0 ? `${text}.` : text) + '0'.repeat(minScale - scale);
}

function numberToPlain(n: number): string {
  if (!Number.isFinite(n)) throw new TypeError(`not a finite number: ${n}`);
  const s = String(n);
  // Exponent forms (1e-7, 1e+21) are rare; Big writes them out exactly.
  return s.includes('e') ? new Big(n).toFixed() : s;
}

export function money(amount: number | string, currency = 'EUR'): MoneyModel {
  return { amount: decimalFromWire(amount), currency };
}

/** Money from an amount a wire schema already made an exact decimal (`decimalFromWire`): not checked twice. */
export function checkedMoney(amount: string, currency = 'EUR'): MoneyModel {
  return { amount, currency };
}

export function addDecimals(a: string, b: string): string {
  return new Big(a).plus(b).toFixed(Math.max(2, scaleOf(a), scaleOf(b)));
}

export function subtractDecimals(a: string, b: string): string {
  return new Big(a).minus(b).toFixed(Math.max(2, scaleOf(a), scaleOf(b)));
}

export function compareDecimals(a: string, b: string): -1 | 0 | 1 {
  return new Big(a).cmp(b) as -1 | 0 | 1;
}

export function negateDecimal(a: string): string {
  return new Big(a).times(-1).toFixed(Math.max(2, scaleOf(a)));
}

/** Canonical form for comparisons and fingerprints: no trailing zeros beyond 2 decimals. */
export function canonicalDecimal(a: string): string {
  return new Big(a).toFixed(Math.max(2, scaleOf(new Big(a).toString())));
}
