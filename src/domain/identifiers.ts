/**
 * Participant identifiers: Belgian enterprise numbers (KBO/BCE), Belgian VAT numbers and ISO 6523
 * `scheme:value` pairs as used on Peppol (shared/upstream-specs/belgian-rules.md §2.2, §2.3).
 */

export interface ParticipantIdModel {
  scheme: string;
  value: string;
  iso6523: string;
}

/** ICD schemes with an alias some upstreams use instead (MAPI writes `KT` for Icelandic kennitala 0196). */
const ALIASES: Record<string, string> = { KT: '0196' };

/** 10 digits starting with 0 or 1, 97 − (first 8 mod 97) as check digits; 9-digit numbers get a leading 0. */
export function normalizeEnterpriseNumber(input: string): string | null {
  let digits = input.trim().toUpperCase().replace(/^BE/, '').replace(/[\s.\-]/g, '');
  if (/^\d{9}$/.test(digits)) digits = `0${digits}`;
  if (!/^[01]\d{9}$/.test(digits)) return null;
  const check = 97 - (Number(digits.slice(0, 8)) % 97);
  return check === Number(digits.slice(8)) ? digits : null;
}

export const participantId = (scheme: string, value: string): ParticipantIdModel => ({ scheme, value, iso6523: `${scheme}:${value}` });

/**
 * Reads what a person types as a party identifier: `0208:0840559537`, `iso6523-actorid-upis::0208:…`,
 * `9925:be0840559537`, `BE0840559537`, `0840.559.537`, `KT:1111118899`. Returns the identifiers it
 * stands for, or null. A Belgian company gets both 0208 and 9925, always in that order whatever the
 * spelling, so that one company gives one answer (its ID, its capabilities) however it was typed.
 */
export function parsePartyIdentifier(input: string): ParticipantIdModel[] | null {
  // ISO 6523 identifiers are at most 4 + 1 + 35 characters; room for spaces and the upis prefix.
  if (input.length > 100) return null;
  const text = input.trim().replace(/^iso6523-actorid-upis::/i, '');
  const m = /^([A-Za-z0-9]{2,4}):(.+)$/.exec(text);
  if (!m) {
    const kbo = normalizeEnterpriseNumber(text);
    return kbo ? belgian(kbo) : null;
  }
  const scheme = ALIASES[m[1]!.toUpperCase()] ?? m[1]!.toUpperCase();
  const value = m[2]!.trim();
  if (scheme === '0208' || scheme === '9925') {
    // Seen in the wild: `0208:BE0123456789` and lowercase `9925:be…`; both name the same company.
    const kbo = normalizeEnterpriseNumber(value);
    return kbo ? belgian(kbo) : null;
  }
  if (!/^[A-Za-z0-9.\-_]{1,50}$/.test(value)) return null;
  return [participantId(scheme, value.toUpperCase())];
}

function belgian(kbo: string): ParticipantIdModel[] {
  return [participantId('0208', kbo), participantId('9925', `BE${kbo}`)];
}

/** A company's identifiers from its enterprise number (0208, and 9925 with it), else its VAT number; empty with neither. */
export function companyIdentifiers(enterpriseNumber: string | null, vatNumber: string | null): ParticipantIdModel[] {
  return (enterpriseNumber && parsePartyIdentifier(`0208:${enterpriseNumber}`)) || (vatNumber && parsePartyIdentifier(vatNumber)) || [];
}

/** The VAT number of a Belgian enterprise number. */
export const belgianVat = (kbo: string) => `BE${kbo}`;

/**
 * Why a text is not a party identifier, naming the rule it breaks (for error messages): the Belgian
 * enterprise number's length, first digit or check digits, or the `scheme:value` shape.
 */
export function explainIdentifier(input: string): string {
  if (input.length > 100) return 'it is longer than 100 characters';
  const text = input.trim().replace(/^iso6523-actorid-upis::/i, '');
  const m = /^([A-Za-z0-9]{2,4}):(.+)$/.exec(text);
  const scheme = m ? (ALIASES[m[1]!.toUpperCase()] ?? m[1]!.toUpperCase()) : null;
  if (m && scheme !== '0208' && scheme !== '9925') return `the value after ${m[1]}: may hold only letters, digits, '.', '-' and '_', at most 50`;
  const raw = (m ? m[2]! : text).trim().toUpperCase().replace(/^BE/, '').replace(/[\s.\-]/g, '');
  if (!/^\d+$/.test(raw)) return m ? `a Belgian ${scheme === '9925' ? 'VAT' : 'enterprise'} number is digits (BE and 10 digits for VAT)` : 'it is neither scheme:value (like 0208:0840559537 or KT:1111118899) nor a Belgian enterprise or VAT number';
  const digits = raw.length === 9 ? `0${raw}` : raw;
  if (digits.length !== 10) return `a Belgian enterprise number has 10 digits (9 are read with a leading 0), not ${raw.length}`;
  if (!/^[01]/.test(digits)) return 'a Belgian enterprise number starts with 0 or 1';
  const check = 97 - (Number(digits.slice(0, 8)) % 97);
  return `its check digits are ${digits.slice(8)}, but 97 − (${digits.slice(0, 8)} mod 97) is ${String(check).padStart(2, '0')}`;
}
