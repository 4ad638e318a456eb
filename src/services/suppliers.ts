import { decodeGlobalId, type GlobalId } from '../domain/globalId.js';
import { normalizeEnterpriseNumber } from '../domain/identifiers.js';
import type { PartyModel, PeppolSupplierModel } from '../domain/models.js';
import type { UserErrorModel } from '../domain/paymentInput.js';
import { checkKey, isIban } from '../domain/sendInput.js';
import { quote } from '../domain/quote.js';
import type { OffboardPeppolSupplierInput, OnboardPeppolSupplierInput, UpdatePeppolSupplierInput } from '../generated/graphql.js';
import { fingerprintOf } from '../idempotency/derivedId.js';
import { OutcomeUnknownError } from '../idempotency/once.js';
import type { SupplierInputModel, SupplierResult } from '../sources/types.js';
import { anyConnectionFor, capabilityFor, deniedAsUserError, tryCapability } from './access.js';
import type { RequestContext } from './context.js';
import { AccessError } from './errors.js';

/**
 * Companies an access point sends and receives for (Ibanity suppliers): read, onboarded, changed,
 * offboarded through the `suppliers` capability. Inputs are checked here first (enterprise number
 * check digits, IBANs, e-mail shapes); what only the access point can judge comes back from it as
 * userErrors on the field it names.
 */

type Payload = { supplier: PeppolSupplierModel | null; userErrors: UserErrorModel[] };
const fail = (...userErrors: UserErrorModel[]): Payload => ({ supplier: null, userErrors });
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export async function listSuppliers(ctx: RequestContext, connection: string | null | undefined, first: number, after: string | null) {
  const served = anyConnectionFor(ctx, 'suppliers', connection, 'read');
  if (!served.ok) throw new AccessError(served, ['connection']);
  return served.capability.list(first, after);
}

export async function getSupplier(ctx: RequestContext, id: GlobalId): Promise<PeppolSupplierModel | null> {
  if (id.type !== 'PeppolSupplier') return null;
  return capabilityFor(ctx, 'suppliers', id.source, id.connection).capability.get(id.local);
}

/** The supplier record of a party, from the first source with suppliers the caller may use; null when none has it. */
export async function supplierOfParty(ctx: RequestContext, party: PartyModel): Promise<PeppolSupplierModel | null> {
  const served = anyConnectionFor(ctx, 'suppliers', null, 'read');
  return served.ok ? served.capability.ofParty(party) : null;
}

export const supplierRegistrations = (ctx: RequestContext, s: PeppolSupplierModel) => capabilityFor(ctx, 'suppliers', s.source, s.connection).capability.registrations(s);

/** The contact and list fields every supplier input shares, checked; problems pushed into `errors`. */
function checkContact(i: Partial<SupplierInputModel>, errors: UserErrorModel[]): void {
  const bad = (name: string, message: string) => errors.push({ code: 'INVALID_INPUT', message, field: ['input', name] });
  for (const name of ['email', 'contactEmail'] as const) if (i[name] !== undefined && !EMAIL.test(i[name]!)) bad(name, `${name} is not an e-mail address.`);
  for (const name of ['phoneNumber', 'street', 'streetNumber', 'postalCode', 'city', 'country'] as const) {
    const v = i[name];
    if (v !== undefined && (!v.trim() || v.length > 200)) bad(name, `${name} is 1 to 200 characters.`);
  }
  if (i.homepage !== undefined && i.homepage.length > 500) bad('homepage', 'homepage is at most 500 characters.');
  if (i.names !== undefined && (i.names.length === 0 || i.names.length > 10 || i.names.some((n) => !n.trim() || n.length > 200))) bad('names', 'names is 1 to 10 names of 1 to 200 characters.');
  if (i.ibans !== undefined) {
    if (i.ibans.length === 0 || i.ibans.length > 10) bad('ibans', 'ibans is 1 to 10 accounts.');
    i.ibans.forEach((iban, n) => {
      if (!isIban(iban.replace(/\s/g, '').toUpperCase())) errors.push({ code: 'INVALID_INPUT', message: `${quote(iban)} is not an IBAN (its check digits do not match).`, field: ['input', 'ibans', String(n)] });
    });
  }
}

const resultPayload = (r: SupplierResult): Payload => (r.ok ? { supplier: r.supplier, userErrors: [] } : fail(...r.errors));

export async function onboardSupplier(ctx: RequestContext, input: OnboardPeppolSupplierInput): Promise<Payload> {
  const errors: UserErrorModel[] = [];
  checkKey(input.idempotencyKey, errors);
  const kbo = normalizeEnterpriseNumber(input.enterpriseNumber);
  if (!kbo) errors.push({ code: 'INVALID_IDENTIFIER', message: `${quote(input.enterpriseNumber)} is not a Belgian enterprise number (10 digits, check digits verified).`, field: ['input', 'enterpriseNumber'] });
  const model: SupplierInputModel = {
    enterpriseNumber: kbo ?? '', names: input.names.map((n) => n.trim()), ibans: input.ibans.map((i) => i.replace(/\s/g, '').toUpperCase()), email: input.email.trim(), contactEmail: input.contactEmail.trim(),
    phoneNumber: input.phoneNumber.trim(), street: input.street.trim(), streetNumber: input.streetNumber.trim(), postalCode: input.postalCode.trim(), city: input.city.trim(), country: (input.country ?? 'Belgium').trim(), homepage: (input.homepage ?? '').trim(), peppolReceiver: input.peppolReceiver ?? true,
  };
  checkContact(model, errors);
  if (errors.length) return fail(...errors);
  const served = anyConnectionFor(ctx, 'suppliers', input.connection, 'write');
  if (!served.ok) return fail(deniedAsUserError(served, ['input', 'connection']));
  const { idempotencyKey, ...fingerprinted } = input;
  const key = { caller: ctx.caller.id, operation: 'onboardPeppolSupplier', key: idempotencyKey };
  let result;
  try {
    result = await ctx.once.run<{ local: string } | Payload>(key, fingerprintOf(fingerprinted), async (ctl) => {
      await ctl.sending();
      const r = await served.capability.create(model);
      return r.ok ? { kind: 'done', value: { local: r.supplier.supplierId } } : { kind: 'nothing-changed', value: fail(...r.errors) };
    });
  } catch (err) {
    if (err instanceof OutcomeUnknownError) return fail({ code: 'OUTCOME_UNKNOWN', message: `${served.source} did not confirm the onboarding (${err.detail}); look the supplier up before trying again with a new key.`, field: ['input', 'idempotencyKey'] });
    throw err;
  }
  switch (result.kind) {
    case 'fresh':
    case 'replayed':
      if ('userErrors' in result.value) return result.value;
      return { supplier: await served.capability.get(result.value.local), userErrors: [] };
    case 'mismatch':
      return fail({ code: 'IDEMPOTENCY_KEY_REUSED', message: 'This idempotencyKey was already used for another supplier; use a new key.', field: ['input', 'idempotencyKey'] });
    case 'in-progress':
      return fail({ code: 'IDEMPOTENCY_KEY_IN_PROGRESS', message: 'An onboarding with this idempotencyKey is still running; ask again in a moment.', field: ['input', 'idempotencyKey'] });
    case 'unknown':
      return fail({ code: 'OUTCOME_UNKNOWN', message: 'An earlier onboarding with this key ended without an answer; look the supplier up before trying again with a new key.', field: ['input', 'idempotencyKey'] });
  }
}

/** The supplier an ID names, through a connection the caller may change; or why not. */
function supplierTarget(ctx: RequestContext, supplierId: string) {
  const gid = decodeGlobalId(supplierId);
  if (!gid || gid.type !== 'PeppolSupplier') return { ok: false as const, error: { code: 'INVALID_ID' as const, message: 'supplierId is not a supplier ID.', field: ['input', 'supplierId'] } };
  const served = tryCapability(ctx, 'suppliers', gid.source, gid.connection, 'write');
  if (!served.ok) return { ok: false as const, error: deniedAsUserError(served, ['input', 'supplierId']) };
  return { ok: true as const, local: gid.local, capability: served.capability };
}

export async function updateSupplier(ctx: RequestContext, input: UpdatePeppolSupplierInput): Promise<Payload> {
  const target = supplierTarget(ctx, input.supplierId);
  if (!target.ok) return fail(target.error);
  const changes: Partial<Omit<SupplierInputModel, 'enterpriseNumber'>> = {};
  for (const k of ['email', 'contactEmail', 'phoneNumber', 'street', 'streetNumber', 'postalCode', 'city', 'homepage'] as const) if (input[k] != null) changes[k] = input[k]!.trim();
  if (input.names != null) changes.names = input.names.map((n) => n.trim());
  if (input.ibans != null) changes.ibans = input.ibans.map((i) => i.replace(/\s/g, '').toUpperCase());
  if (input.peppolReceiver != null) changes.peppolReceiver = input.peppolReceiver;
  const errors: UserErrorModel[] = [];
  checkContact(changes, errors);
  if (Object.keys(changes).length === 0) errors.push({ code: 'INVALID_INPUT', message: 'Give at least one field to change.', field: ['input'] });
  if (errors.length) return fail(...errors);
  // A change sent twice has the effect of once: no ledger needed.
  return resultPayload(await target.capability.update(target.local, changes));
}

export async function offboardSupplier(ctx: RequestContext, input: OffboardPeppolSupplierInput): Promise<Payload> {
  const target = supplierTarget(ctx, input.supplierId);
  if (!target.ok) return fail(target.error);
  return resultPayload(await target.capability.offboard(target.local));
}
