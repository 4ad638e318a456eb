import { mayUse } from '../auth/access.js';
import { normalizeEnterpriseNumber } from '../domain/identifiers.js';
import type { InvoiceModel } from '../domain/models.js';
import type { UserErrorModel } from '../domain/paymentInput.js';
import { quote } from '../domain/quote.js';
import type { ClaimCodaboxCredentialsInput, RequestCodaboxAccessInput, UploadSalesInvoiceInput } from '../generated/graphql.js';
import { listConnections, runtimesOf } from '../sources/registry.js';
import { deniedAsUserError, tryCapability } from './access.js';
import type { RequestContext } from './context.js';
import { ruleBreaks } from './validation.js';

/** Accounts brought onto the gateway at run time, and documents handed to their upstream. */

const refused = (code: UserErrorModel['code'], message: string, field: string[] | null = null): { userErrors: UserErrorModel[] } => ({ userErrors: [{ code, message, field }] });

/** The one source that onboards accounts (CodaBox today). */
const onboardingSource = (ctx: RequestContext) => runtimesOf(ctx.upstreams).find((r) => r.onboarding);

export async function requestAccess(ctx: RequestContext, input: RequestCodaboxAccessInput): Promise<{ emailHint: string | null; userErrors: UserErrorModel[] }> {
  const runtime = onboardingSource(ctx);
  if (!runtime?.onboarding) return { emailHint: null, ...refused('NOT_CONFIGURED', 'No CodaBox software key is configured on this gateway.') };
  const kbo = normalizeEnterpriseNumber(input.vat);
  if (!kbo) return { emailHint: null, ...refused('INVALID_VAT', `${quote(input.vat)} is not a Belgian VAT number.`, ['input', 'vat']) };
  const r = await runtime.onboarding.requestAccess(kbo, input.purpose);
  return r.ok ? { emailHint: r.emailHint, userErrors: [] } : { emailHint: null, userErrors: r.errors };
}

export async function claimCredentials(ctx: RequestContext, input: ClaimCodaboxCredentialsInput) {
  const fail = (code: UserErrorModel['code'], message: string, field: string[] | null = null) => ({ connection: null, ...refused(code, message, field) });
  const runtime = onboardingSource(ctx);
  const name = input.connection.trim();
  if (!runtime?.onboarding) return fail('NOT_CONFIGURED', 'No CodaBox software key is configured on this gateway.');
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) return fail('INVALID_CONNECTION_NAME', 'A connection name is 1 to 64 letters, digits, `_`, `.` or `-`.', ['input', 'connection']);
  if (!mayUse(ctx.caller, runtime.source, name, runtime.connection(name) !== undefined)) return fail('FORBIDDEN', `This caller may not use connection "${name}".`, ['input', 'connection']);
  const claimable = runtime.onboarding.claimable(name);
  if (!claimable.ok) return { connection: null, userErrors: [claimable.error] };
  if (!/^[A-Za-z0-9-]{8,128}$/.test(input.token)) return fail('INVALID_TOKEN', 'That is not a CodaBox token.', ['input', 'token']);
  const r = await runtime.onboarding.claim(input.token, name);
  if (!r.ok) return { connection: null, userErrors: [r.error] };
  const info = listConnections(ctx.upstreams).find((c) => c.source === runtime.source && c.name === name)!;
  return { connection: { ...info, detail: `${runtime.label}; claimed credentials` }, userErrors: [] };
}

export async function uploadSalesInvoice(ctx: RequestContext, input: UploadSalesInvoiceInput): Promise<{ accepted: boolean; invoice: InvoiceModel | null; userErrors: UserErrorModel[] }> {
  const served = tryCapability(ctx, 'uploads', null, input.connection, 'write');
  if (!served.ok) return { accepted: false, invoice: null, userErrors: [deniedAsUserError(served, ['input', 'connection'])] };
  // An invoice that breaks EN16931 or Peppol rules is refused here, with every rule it breaks; what is
  // not an invoice at all gets the upload's own codes (INVALID_ROOT, …).
  const broken = ruleBreaks(input.xml, ['input', 'xml'], true);
  if (broken.length) return { accepted: false, invoice: null, userErrors: broken };
  const r = await served.capability.uploadSalesInvoice(input.xml, input.folder ?? null);
  return r.ok ? { accepted: true, invoice: r.invoice, userErrors: [] } : { accepted: false, invoice: null, userErrors: r.errors };
}
