import { decodeCursor, InvalidCursorError } from '../../domain/cursor.js';
import { normalizeEnterpriseNumber } from '../../domain/identifiers.js';
import type { PartyModel, PeppolSupplierModel } from '../../domain/models.js';
import { pageByKey } from '../../domain/page.js';
import type { UserErrorModel } from '../../domain/paymentInput.js';
import type { UserErrorCode } from '../../generated/graphql.js';
import { outsideOperation } from '../../http/index.js';
import type { SupplierInputModel, SuppliersCapability } from '../types.js';
import type { IbanityClient, Refusal } from './client.js';
import { supplierIdentifiers, toRegistration, toSupplier } from './map.js';
import type { WireSupplier } from './wire.js';

/**
 * The application's suppliers, read whole (Ibanity pages them by 2,000) and kept for `ttlMs`, shared
 * by every request: parties, searches and the seller check of a send ask it, and a webhook or a
 * change made through the gateway drops it.
 */
export function createSupplierDirectory(client: IbanityClient, ttlMs: number, now: () => number = Date.now) {
  let cached: { at: number; list: Promise<WireSupplier[]> } | null = null;
  const all = (): Promise<WireSupplier[]> => {
    if (cached && now() - cached.at < ttlMs) return cached.list;
    // Shared by every request, so no one operation's budget or deadline may cut it short.
    const list = outsideOperation(() => client.suppliers());
    cached = { at: now(), list };
    list.catch(() => {
      if (cached?.list === list) cached = null;
    });
    return list;
  };
  return {
    all,
    byId: async (id: string) => (await all()).find((s) => s.id.toLowerCase() === id.toLowerCase()) ?? null,
    /** Active suppliers (not offboarded) with this enterprise number. */
    byEnterpriseNumber: async (kbo: string) => (await all()).filter((s) => s.attributes.enterpriseIdentification.enterpriseNumber === kbo && s.attributes.onboardingStatus !== 'OFFBOARDED'),
    invalidate() {
      cached = null;
    },
  };
}

export type SupplierDirectory = ReturnType<typeof createSupplierDirectory>;

/** Ibanity's JSON pointer → the input field it is about. */
function fieldOf(pointer: string | null | undefined): string[] | null {
  const m = /^\/data\/attributes\/(.+)$/.exec(pointer ?? '');
  if (!m) return null;
  const path = m[1]!.split('/');
  const last = path.at(-1)!;
  const renamed: Record<string, string> = { zip: 'postalCode', enterpriseNumber: 'enterpriseNumber', vatNumber: 'enterpriseNumber' };
  return ['input', renamed[last] ?? last];
}

/** Ibanity's refusal as userErrors, each on the field its `source.pointer` names. */
export function refusalErrors(r: Refusal, what: string): UserErrorModel[] {
  return r.errors.map((e) => {
    const code: UserErrorCode = e.code === 'alreadyRegistered' ? 'ALREADY_REGISTERED' : e.code === 'validationError' ? 'VALIDATION_FAILED' : e.code === 'resourceNotFound' ? 'NOT_FOUND' : 'UPSTREAM_REJECTED';
    const field = fieldOf(e.source?.pointer) ?? (e.code === 'alreadyRegistered' ? ['input', 'enterpriseNumber'] : null);
    return { code, message: `Ibanity refused ${what}: ${e.detail ?? e.code ?? `HTTP ${r.status}`}`, field };
  });
}

const toWire = (i: Partial<SupplierInputModel>, keep: { names: { id: string; value: string }[]; ibans: { id: string; value: string }[] } = { names: [], ibans: [] }) => {
  // Lists are sent whole: entries kept keep their id, new ones go without, omitted ones are removed.
  const list = (values: string[] | undefined, current: { id: string; value: string }[]) => values?.map((value) => current.find((c) => c.value === value) ?? { value });
  const out: Record<string, unknown> = {
    names: list(i.names, keep.names),
    ibans: list(i.ibans?.map((x) => x.replace(/\s/g, '').toUpperCase()), keep.ibans),
    email: i.email,
    contactEmail: i.contactEmail,
    phoneNumber: i.phoneNumber,
    street: i.street,
    streetNumber: i.streetNumber,
    zip: i.postalCode,
    city: i.city,
    country: i.country,
    homepage: i.homepage,
    peppolReceiver: i.peppolReceiver,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
};

export function ibanitySuppliers(connection: string, client: IbanityClient, directory: SupplierDirectory): SuppliersCapability {
  const model = (s: WireSupplier) => toSupplier(connection, s);
  const done = (s: WireSupplier) => {
    directory.invalidate();
    return { ok: true as const, supplier: model(s) };
  };
  const LIST = 'ibanity-suppliers';
  return {
    async list(first, after) {
      const cursor = after === null ? null : decodeCursor(after, LIST);
      if (after !== null && !cursor) throw new InvalidCursorError();
      return pageByKey((await directory.all()).map(model), (s) => [s.createdAt ?? '', s.supplierId], LIST, first, cursor);
    },
    get: async (local) => {
      const s = await directory.byId(local);
      return s ? model(s) : null;
    },
    async ofParty(party: PartyModel): Promise<PeppolSupplierModel | null> {
      const kbo = party.enterpriseNumber ?? (party.vatNumber ? normalizeEnterpriseNumber(party.vatNumber) : null);
      if (!kbo) return null;
      const found = await directory.byEnterpriseNumber(kbo);
      return found[0] ? model(found[0]) : null;
    },
    registrations: async (s) => (await client.registrations(s.supplierId)).map(toRegistration),
    async create(input) {
      const kbo = input.enterpriseNumber;
      const r = await client.createSupplier({ ...toWire(input), enterpriseIdentification: { enterpriseNumber: kbo, vatNumber: `BE${kbo}` } });
      return r.ok ? done(r.value.data) : { ok: false, errors: refusalErrors(r, 'the supplier') };
    },
    async update(local, changes) {
      const current = await client.supplier(local).catch(() => null);
      const r = await client.updateSupplier(local, toWire(changes, current ? { names: current.attributes.names.map((n) => ({ id: n.id ?? '', value: n.value })), ibans: current.attributes.ibans.map((n) => ({ id: n.id ?? '', value: n.value })) } : undefined));
      return r.ok ? done(r.value.data) : { ok: false, errors: refusalErrors(r, 'the change') };
    },
    async offboard(local) {
      const r = await client.offboardSupplier(local);
      if (!r.ok) return { ok: false, errors: refusalErrors(r, 'the offboarding') };
      // A 204 carries no record: the supplier as Ibanity now has it is read back.
      return done(r.value?.data ?? (await client.supplier(local)));
    },
  };
}

export { supplierIdentifiers };
