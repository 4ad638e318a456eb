import type { AddressModel } from './models.js';

const blankToNull = (s: string | null | undefined): string | null => (s && s.trim() ? s.trim() : null);

/** Builds an address with its printable lines (`Wallestraat 15 bus A`, `8820 TORHOUT`). */
export function address(parts: Omit<AddressModel, 'lines'>): AddressModel {
  const a = {
    street: blankToNull(parts.street),
    number: blankToNull(parts.number),
    box: blankToNull(parts.box),
    postalCode: blankToNull(parts.postalCode),
    city: blankToNull(parts.city),
    countryCode: blankToNull(parts.countryCode),
  };
  const streetLine = [a.street, a.number, a.box ? `bus ${a.box}` : null].filter(Boolean).join(' ');
  const cityLine = [a.postalCode, a.city].filter(Boolean).join(' ');
  const lines = [streetLine, cityLine, a.countryCode && a.countryCode !== 'BE' ? a.countryCode : ''].filter((l) => l !== '');
  return { ...a, lines };
}

/** Splits a comma-separated e-mail list, dropping blanks. */
export function splitEmails(list: string | null | undefined): string[] {
  return (list ?? '').split(/[,;]/).map((e) => e.trim()).filter((e) => e.length > 0);
}
