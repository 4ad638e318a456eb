import type { UserErrorCode } from '../src/generated/graphql.js';
import { normalizeEnterpriseNumber } from '../src/domain/identifiers.js';
import type { UserErrorModel } from '../src/domain/paymentInput.js';
import type { Resolvers } from '../src/generated/graphql.js';
import { mayUse, useConnection } from '../src/auth/access.js';
import { checkSalesInvoice, withFolder, type SalesInvoiceHead } from '../src/domain/salesInvoice.js';
import { encodeGlobalId } from '../src/domain/globalId.js';
import { money } from '../src/domain/money.js';
import { quote } from '../src/domain/quote.js';
import type { InvoiceModel } from '../src/domain/models.js';

const fail = (code: UserErrorCode, message: string, field: string[] | null = null): { userErrors: UserErrorModel[] } => ({ userErrors: [{ code, message, field }] });

/** Stable codes for CodaBox's documented request-access-token refusals (matched on the documented text). */
function accessErrorCode(status: number, message: string): UserErrorCode {
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

/** CodaBox's documented upload messages -> the codes local checks use. */
function uploadErrorCode(status: number, message: string): UserErrorCode {
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

function uploadedInvoice(connection: string, h: SalesInvoiceHead): InvoiceModel {
  return {
    id: encodeGlobalId({ type: 'Invoice', source: 'CODABOX', connection, local: `upload:${h.issueDate.slice(0, 4)}:${h.folder ?? ''}:${h.number}` }),
    source: 'CODABOX', direction: 'OUTBOUND', kind: h.kind, number: h.number, issueDate: h.issueDate, dueDate: null,
    total: money(h.total ?? '0', h.currency ?? 'EUR'), paid: null, open: null, paymentReference: null, seller: null, buyer: null, recipient: null,
    lines: [], documents: [], payments: [], createdAt: null, updatedAt: null, informat: null,
  };
}

export const codaboxResolvers: Resolvers = {
  Mutation: {
    requestCodaboxAccess: async (_p, { input }, ctx) => {
      const codabox = ctx.upstreams.sources.CODABOX;
      if (!codabox) return { emailHint: null, ...fail('NOT_CONFIGURED', 'No CodaBox software key is configured on this gateway.') };
      if (!ctx.caller.scopes.has('write')) return { emailHint: null, ...fail('FORBIDDEN', 'This caller may not change CodaBox access.') };
      const kbo = normalizeEnterpriseNumber(input.vat);
      if (!kbo) return { emailHint: null, ...fail('INVALID_VAT', `${quote(input.vat)} is not a Belgian VAT number.`, ['input', 'vat']) };
      const r = await codabox.onboarding.requestAccess(`BE${kbo}`, input.purpose);
      if (r.ok) return { emailHint: r.email, userErrors: [] };
      const userErrors = Object.entries(r.errors).flatMap(([key, messages]) =>
        messages.map((message) => ({ code: accessErrorCode(r.status, message), message: `CodaBox: ${message}`, field: key === 'vat' ? ['input', 'vat'] : null })),
      );
      return { emailHint: null, userErrors };
    },

    uploadSalesInvoice: async (_p, { input }, ctx) => {
      const refuse = (code: UserErrorCode, message: string, field: string[] | null = ['input', 'xml']) => ({ accepted: false, invoice: null, userErrors: [{ code, message, field }] });
      if (!ctx.upstreams.sources.CODABOX) return refuse('FORBIDDEN', 'No CodaBox connection is configured on this gateway.', null);
      const conn = useConnection(ctx.caller, ctx.upstreams, 'CODABOX', input.connection, 'write');
      if (!conn.ok) return refuse('FORBIDDEN', conn.message, ['input', 'connection']);
      const xml = input.folder ? withFolder(input.xml, input.folder) : input.xml;
      // The supplier must be the client the connection belongs to (an invoicing user sees one client).
      const own = (await conn.client.clients())[0]?.legal_entity.enterprise_num ?? null;
      const kbo = own ? own.replace(/^BE/i, '') : null;
      const checked = checkSalesInvoice(xml, kbo);
      if (!checked.ok) return { accepted: false, invoice: null, userErrors: checked.problems.map((p) => ({ code: p.code, message: p.message, field: ['input', 'xml'] })) };
      const r = await conn.client.uploadSalesInvoice(`${checked.head.number.replace(/[^A-Za-z0-9._-]/g, '_')}.xml`, checked.text);
      if (!r.ok) return { accepted: false, invoice: null, userErrors: r.messages.map((m) => ({ code: uploadErrorCode(r.status, m), message: `CodaBox: ${m}`, field: ['input', 'xml'] })) };
      return { accepted: true, invoice: uploadedInvoice(conn.name, checked.head), userErrors: [] };
    },

    claimCodaboxCredentials: async (_p, { input }, ctx) => {
      const codabox = ctx.upstreams.sources.CODABOX;
      const name = input.connection.trim();
      if (!codabox) return { connection: null, ...fail('NOT_CONFIGURED', 'No CodaBox software key is configured on this gateway.') };
      if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) return { connection: null, ...fail('INVALID_CONNECTION_NAME', 'A connection name is 1 to 64 letters, digits, `_`, `.` or `-`.', ['input', 'connection']) };
      if (!ctx.caller.scopes.has('write') || !mayUse(ctx.caller, 'CODABOX', name, codabox.connection(name) !== undefined)) return { connection: null, ...fail('FORBIDDEN', `This caller may not use connection "${name}".`, ['input', 'connection']) };
      if (codabox.configuredNames.includes(name)) return { connection: null, ...fail('CONNECTION_EXISTS', `"${name}" is configured from the environment; choose another name.`, ['input', 'connection']) };
      if (!codabox.canClaim) return { connection: null, ...fail('CREDENTIALS_KEY_MISSING', 'Set CREDENTIALS_KEY on the gateway to store claimed credentials.') };
      if (!/^[A-Za-z0-9-]{8,128}$/.test(input.token)) return { connection: null, ...fail('INVALID_TOKEN', 'That is not a CodaBox token.', ['input', 'token']) };
      const creds = await codabox.onboarding.claim(input.token);
      if (!creds) return { connection: null, ...fail('TOKEN_INVALID', 'CodaBox does not know this token, or it was used already (a token works once).', ['input', 'token']) };
      // Stored first: the token is spent, so credentials lost now could not be claimed again.
      await codabox.claim(name, creds);
      return { connection: { name, source: 'CODABOX', healthy: codabox.breakerState() !== 'open', detail: 'CodaBox API v2; claimed credentials' }, userErrors: [] };
    },
  },
};
