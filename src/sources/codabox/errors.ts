import type { UserErrorCode } from '../../generated/graphql.js';

/**
 * CodaBox's documented refusals as the gateway's codes. CodaBox names them only in its message
 * text, so the match on the documented wording lives here, in CodaBox's folder, and nowhere else.
 */

/** The request-access-token refusals. */
export function accessErrorCode(status: number, message: string): UserErrorCode {
  if (status === 403) return 'SOFTWARE_NOT_ALLOWED';
  const rules: [RegExp, UserErrorCode][] = [
    [/does not exist/i, 'VAT_NOT_FOUND'],
    [/no Coda mandates/i, 'NO_CODA_MANDATES'],
    [/fiduciary needs activation/i, 'FIDUCIARY_NEEDS_ACTIVATION'],
    [/client needs activation/i, 'CLIENT_NEEDS_ACTIVATION'],
    [/email is missing/i, 'EMAIL_MISSING'],
    [/contact function is missing/i, 'CONTACT_FUNCTION_MISSING'],
    [/contact is missing/i, 'CONTACT_MISSING'],
  ];
  return rules.find(([re]) => re.test(message))?.[1] ?? 'UPSTREAM_REJECTED';
}

/** The sales-invoice upload refusals, as the codes the local checks use. */
export function uploadErrorCode(status: number, message: string): UserErrorCode {
  if (status === 403) return 'FORBIDDEN';
  const rules: [RegExp, UserErrorCode][] = [
    [/too big/i, 'FILE_TOO_BIG'],
    [/only XMLs/i, 'INVALID_XML'],
    [/root tag/i, 'INVALID_ROOT'],
    [/syntax error or XSD/i, 'INVALID_XML'],
    [/supplier VAT/i, 'SUPPLIER_VAT_MISMATCH'],
    [/exists already/i, 'DUPLICATE_INVOICE'],
    [/previous year/i, 'PREVIOUS_YEAR'],
    [/pdf/i, 'PDF_MISSING'],
    [/not supported/i, 'FORMAT_NOT_SUPPORTED'],
  ];
  return rules.find(([re]) => re.test(message))?.[1] ?? 'UPSTREAM_REJECTED';
}
