import { randomUUID } from 'node:crypto';
import type { Random } from '../../random.js';
import type { SandboxServer } from '../../server.js';
import { dataOf, errors, isResponse, ok, page, paging, stamp, uuidParam, type ApiError } from '../jsonapi.js';
import type { SupplierAttributes, SupplierRecord } from '../seed.js';
import type { IbanityState } from '../state.js';

/** A supplier as the API answers it: UPPERCASE onboardingStatus, as seen on the wire. */
export const supplierJson = (s: SupplierRecord) => ({ id: s.id, type: 'supplier', attributes: { ...s.attributes, createdAt: stamp(s.createdAt) } });

const BLANK = ['city', 'contactEmail', 'country', 'email', 'phoneNumber', 'street', 'streetNumber', 'zip'] as const;

const validKbo = (v: string) => /^[01]\d{9}$/.test(v) && 97 - (Number(v.slice(0, 8)) % 97) === Number(v.slice(8));

const fieldError = (field: string, detail: string): ApiError => ({ code: 'validationError', detail: `${field}: ${detail}`, source: { pointer: `/data/attributes/${field}` } });

/** The documented validation of a supplier's attributes; `partial` checks only those given (PATCH). */
function validate(a: Record<string, unknown>, partial: boolean): ApiError[] {
  const out: ApiError[] = [];
  const given = (k: string) => !partial || k in a;
  for (const k of BLANK) if (given(k) && (typeof a[k] !== 'string' || !(a[k] as string).trim())) out.push(fieldError(k, 'must not be blank'));
  if (given('homepage') && (a.homepage === null || a.homepage === undefined)) out.push(fieldError('homepage', 'must not be null'));
  for (const k of ['ibans', 'names'] as const) {
    if (!given(k)) continue;
    const list = a[k];
    if (!Array.isArray(list) || list.length === 0) out.push(fieldError(k, 'must not be empty'));
    else if (list.some((x) => !x || typeof x !== 'object' || typeof (x as { value?: unknown }).value !== 'string' || !(x as { value: string }).value.trim())) out.push(fieldError(k, 'every entry needs a value'));
  }
  if (given('enterpriseIdentification')) {
    const ei = (a.enterpriseIdentification ?? {}) as Record<string, unknown>;
    const en = typeof ei.enterpriseNumber === 'string' ? ei.enterpriseNumber : '';
    const vat = typeof ei.vatNumber === 'string' ? ei.vatNumber : '';
    if (!validKbo(en)) out.push({ code: 'validationError', detail: 'enterpriseIdentification/enterpriseNumber: must be a valid Belgian enterprise number', source: { pointer: '/data/attributes/enterpriseIdentification/enterpriseNumber' } });
    if (!/^BE[01]\d{9}$/.test(vat) || !validKbo(vat.slice(2))) out.push({ code: 'validationError', detail: 'enterpriseIdentification/vatNumber: must be a valid Belgian VAT number', source: { pointer: '/data/attributes/enterpriseIdentification/vatNumber' } });
  }
  if (given('peppolReceiver') && a.peppolReceiver !== undefined && typeof a.peppolReceiver !== 'boolean') out.push(fieldError('peppolReceiver', 'must be a boolean'));
  return out;
}

/** `names`/`ibans` as sent: entries with a known `id` keep it, new ones get one, omitted ones are gone. */
function listUpdate(current: { id: string; value: string }[], sent: { id?: string; value: string }[]): { id: string; value: string }[] {
  return sent.map((e) => (e.id && current.some((c) => c.id === e.id) ? { id: e.id, value: e.value } : { id: randomUUID(), value: e.value }));
}

export function registerSupplierRoutes(server: SandboxServer, state: IbanityState, rnd: Random, opts: { onboardingDelayMs: number; now: () => number }) {
  // Errors come back in random order, as the real API's do: clients must not rely on it.
  const shuffled = (list: ApiError[]) => list.map((e) => ({ e, k: rnd.next() })).sort((x, y) => x.k - y.k).map((x) => x.e);
  const active = (s: SupplierRecord) => s.attributes.onboardingStatus !== 'OFFBOARDED';
  const find = (id: string) => state.suppliers.get(id) ?? errors(404, { code: 'resourceNotFound', detail: `Supplier ${id} not found` });

  server.route('GET /einvoicing/suppliers', (req) => {
    const p = paging(req);
    if (isResponse(p)) return p;
    return page([...state.suppliers.values()], p, supplierJson, state.variants.pageSizeCap);
  });

  server.route('GET /einvoicing/suppliers/:supplierId', (req) => {
    const id = uuidParam(req, 'supplierId');
    if (typeof id !== 'string') return id;
    const s = find(id);
    return 'attributes' in s ? ok({ data: supplierJson(s) }) : s;
  });

  server.route('POST /einvoicing/suppliers', (req) => {
    const data = dataOf(req);
    if (isResponse(data)) return data;
    const a = data.attributes;
    const problems = validate(a, false);
    if (problems.length) return errors(400, ...shuffled(problems));
    const ei = a.enterpriseIdentification as { enterpriseNumber: string; vatNumber: string };
    if ([...state.suppliers.values()].some((s) => active(s) && s.attributes.enterpriseIdentification.enterpriseNumber === ei.enterpriseNumber)) {
      return errors(409, { code: 'alreadyRegistered', detail: 'A supplier already exists with this enterprise identification' });
    }
    const at = opts.now();
    const str = (k: string) => (typeof a[k] === 'string' ? (a[k] as string) : '');
    const attributes: SupplierAttributes = {
      city: str('city'), companyNumber: ei.enterpriseNumber, contactEmail: str('contactEmail'), country: str('country'), email: str('email'),
      enterpriseIdentification: { enterpriseNumber: ei.enterpriseNumber, vatNumber: ei.vatNumber }, homepage: str('homepage'),
      ibans: listUpdate([], a.ibans as { value: string }[]), names: listUpdate([], a.names as { value: string }[]),
      onboardingStatus: 'CREATED', peppolReceiver: a.peppolReceiver === true, phoneNumber: str('phoneNumber'), street: str('street'), streetNumber: str('streetNumber'),
      supportEmail: str('supportEmail'), supportPhone: str('supportPhone'), supportUrl: str('supportUrl'), zip: str('zip'),
    };
    const s: SupplierRecord = { id: randomUUID(), createdAt: at, onboardAt: at + opts.onboardingDelayMs, attributes };
    state.suppliers.set(s.id, s);
    if (attributes.peppolReceiver) state.register(s);
    return ok({ data: supplierJson(s) }, 201);
  });

  server.route('PATCH /einvoicing/suppliers/:supplierId', (req) => {
    const id = uuidParam(req, 'supplierId');
    if (typeof id !== 'string') return id;
    const s = find(id);
    if (!('attributes' in s)) return s;
    const data = dataOf(req);
    if (isResponse(data)) return data;
    const a = data.attributes;
    if ('enterpriseIdentification' in a) return errors(400, fieldError('enterpriseIdentification', 'cannot be changed'));
    const problems = validate(a, true);
    if (problems.length) return errors(400, ...shuffled(problems));
    const wasReceiver = s.attributes.peppolReceiver;
    for (const [k, v] of Object.entries(a)) {
      if (k === 'names' || k === 'ibans') s.attributes[k] = listUpdate(s.attributes[k], v as { id?: string; value: string }[]);
      else if (k in s.attributes && k !== 'onboardingStatus' && k !== 'companyNumber') (s.attributes as unknown as Record<string, unknown>)[k] = v;
    }
    if (!wasReceiver && s.attributes.peppolReceiver) state.register(s);
    return ok({ data: supplierJson(s) });
  });

  // DELETE offboards: the record stays, OFFBOARDED, and its Peppol registrations are withdrawn.
  server.route('DELETE /einvoicing/suppliers/:supplierId', (req) => {
    const id = uuidParam(req, 'supplierId');
    if (typeof id !== 'string') return id;
    const s = find(id);
    if (!('attributes' in s)) return s;
    s.attributes.onboardingStatus = 'OFFBOARDED';
    s.onboardAt = null;
    for (const r of state.registrations.get(s.id) ?? []) {
      r.status = 'deregistered';
      r.modifiedAt = opts.now();
    }
    return state.variants.offboardAnswer === 'no-content' ? { status: 204, headers: {}, body: '' } : ok({ data: supplierJson(s) });
  });

  server.route('GET /einvoicing/peppol/suppliers/:supplierId/registrations', (req) => {
    const id = uuidParam(req, 'supplierId');
    if (typeof id !== 'string') return id;
    const s = find(id);
    if (!('attributes' in s)) return s;
    return ok({
      data: (state.registrations.get(s.id) ?? []).map((r) => ({
        id: r.id,
        type: 'peppolRegistration',
        attributes: { type: r.type, value: r.value, status: r.status, ...(r.reason ? { reason: r.reason } : {}), ...(r.accessPoints.length ? { accessPoints: r.accessPoints } : {}), createdAt: stamp(r.createdAt), modifiedAt: stamp(r.modifiedAt), ...(r.status === 'registration-failed' ? { failedSince: stamp(r.modifiedAt) } : {}) },
      })),
    });
  });
}
