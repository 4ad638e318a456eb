import { randomUUID } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { REGISTERED_ELSEWHERE, TEST_RECEIVERS, type InboundRecord, type SupplierRecord } from './seed.js';
import type { WebhookSender } from './webhooks.js';
import type { IbanityVariants } from './variants.js';

/**
 * The Ibanity simulator's data and clock. Outbound documents move `created → sending → sent` (or end
 * `invalid` / `send-error`) one step every `stepMs`; a document sent to a test receiver that is one of
 * the sandbox's own suppliers arrives as that supplier's inbound document, with a webhook.
 */

export type OutboundStatus = 'created' | 'sending' | 'sent' | 'invalid' | 'send-error';

export interface OutboundRecord {
  id: string;
  supplierId: string;
  kind: 'invoice' | 'credit-note';
  xml: string;
  createdAt: number;
  statusChangedAt: number;
  status: OutboundStatus;
  transmissionId: string | null;
  errors: { code: string; detail: string }[];
  /** Decided when the document arrives, applied as the clock moves. */
  verdict: { stage: 'invalid' | 'send-error' | 'ok'; errors: { code: string; detail: string }[]; receiver: string | null };
  businessStatus: string | null;
}

export interface Registration {
  id: string;
  type: 'enterprise-number' | 'vat-number';
  value: string;
  status: 'registration-in-progress' | 'registered' | 'registration-failed' | 'deregistered';
  reason: string | null;
  accessPoints: string[];
  createdAt: number;
  modifiedAt: number;
}

const parser = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, processEntities: false, parseTagValue: false });

const text = (v: unknown): string | null => (typeof v === 'string' ? v.trim() : v && typeof v === 'object' && '#text' in v ? String((v as Record<string, unknown>)['#text']).trim() : null);

function endpointOf(party: unknown): string | null {
  const ep = (party as { Party?: { EndpointID?: unknown } } | undefined)?.Party?.EndpointID;
  const scheme = ep && typeof ep === 'object' ? (ep as Record<string, unknown>)['@_schemeID'] : null;
  const value = text(ep);
  return scheme && value ? `${String(scheme)}:${value}`.toUpperCase() : null;
}

/** What Ibanity would decide about a document: invalid (and why), not deliverable, or fine. */
export function judge(xml: string, kind: OutboundRecord['kind'], supplier: SupplierRecord, opts: { checkRoot: boolean }): OutboundRecord['verdict'] {
  const invalid = (code: string, detail: string) => ({ stage: 'invalid' as const, errors: [{ code, detail }], receiver: null });
  if (/<!DOCTYPE/i.test(xml)) return invalid('invalid-malicious', 'The document declares a DOCTYPE.');
  if (XMLValidator.validate(xml) !== true) return invalid('invalid-type', 'The document is not XML.');
  const doc = parser.parse(xml) as Record<string, unknown>;
  const root = Object.keys(doc).find((k) => !k.startsWith('?'));
  const want = kind === 'invoice' ? 'Invoice' : 'CreditNote';
  if (root !== 'Invoice' && root !== 'CreditNote') return invalid('invalid-format', `The root element is ${root ?? 'missing'}, not a UBL Invoice or CreditNote.`);
  if (opts.checkRoot && root !== want) return invalid('invalid-format', `A ${root} was posted to the ${kind === 'invoice' ? 'invoices' : 'credit-notes'} endpoint.`);
  const node = doc[root] as Record<string, unknown>;
  const seller = endpointOf(node.AccountingSupplierParty);
  const ids = supplier.attributes.enterpriseIdentification;
  if (!seller || (seller !== `0208:${ids.enterpriseNumber}` && seller !== `9925:${ids.vatNumber}`)) {
    return invalid('invalid-identifiers', `The supplier endpoint ${seller ?? '(none)'} is not this supplier's enterprise number 0208:${ids.enterpriseNumber} or VAT number 9925:${ids.vatNumber}.`);
  }
  const receiver = endpointOf(node.AccountingCustomerParty);
  if (!receiver || !TEST_RECEIVERS.includes(receiver)) {
    return { stage: 'send-error', errors: [{ code: 'error-customer-not-registered', detail: `The customer ${receiver ?? '(none)'} is not registered on the Peppol network.` }], receiver };
  }
  return { stage: 'ok', errors: [], receiver };
}

export interface IbanityState {
  suppliers: Map<string, SupplierRecord>;
  outbound: Map<string, OutboundRecord>;
  inbound: InboundRecord[];
  registrations: Map<string, Registration[]>;
  /** The undocumented behaviours in force (mutable: tests switch them). */
  variants: IbanityVariants;
  /** Moves every document and supplier whose time has come; run before each request and on a timer. */
  tick(): void;
  submit(supplier: SupplierRecord, kind: OutboundRecord['kind'], xml: string): OutboundRecord;
  /** Registrations of a Peppol receiver, made when it becomes one. */
  register(supplier: SupplierRecord): void;
}

export function createState(opts: { suppliers: Map<string, SupplierRecord>; inbound: InboundRecord[]; stepMs: number; checkRoot: boolean; now: () => number; webhooks: WebhookSender; variants: IbanityVariants }): IbanityState {
  const { now, webhooks } = opts;
  const outbound = new Map<string, OutboundRecord>();
  const registrations = new Map<string, Registration[]>();

  const register = (s: SupplierRecord) => {
    const at = now();
    const ids = s.attributes.enterpriseIdentification;
    const elsewhere = REGISTERED_ELSEWHERE[ids.enterpriseNumber];
    const status = s.attributes.peppolReceiver && s.attributes.onboardingStatus === 'ONBOARDED' ? (elsewhere ? 'registration-failed' : 'registered') : 'registration-in-progress';
    const before = registrations.get(s.id);
    registrations.set(s.id, [
      { id: before?.[0]?.id ?? randomUUID(), type: 'enterprise-number', value: ids.enterpriseNumber, status, reason: elsewhere && status === 'registration-failed' ? 'already-registered' : null, accessPoints: status === 'registration-failed' ? elsewhere ?? [] : [], createdAt: before?.[0]?.createdAt ?? at, modifiedAt: at },
      { id: before?.[1]?.id ?? randomUUID(), type: 'vat-number', value: ids.vatNumber, status, reason: elsewhere && status === 'registration-failed' ? 'already-registered' : null, accessPoints: status === 'registration-failed' ? elsewhere ?? [] : [], createdAt: before?.[1]?.createdAt ?? at, modifiedAt: at },
    ]);
    if (before && (status === 'registered' || status === 'registration-failed')) void webhooks.emit('eInvoicing.peppol.registrations.updated', { supplier: { id: s.id, type: 'supplier' } });
  };
  for (const s of opts.suppliers.values()) if (s.attributes.peppolReceiver) register(s);

  const receivingSupplier = (reference: string): SupplierRecord | undefined =>
    [...opts.suppliers.values()].find((s) => s.attributes.peppolReceiver && s.attributes.onboardingStatus === 'ONBOARDED' && (reference === `0208:${s.attributes.enterpriseIdentification.enterpriseNumber}` || reference === `9925:${s.attributes.enterpriseIdentification.vatNumber}`));

  const tick = () => {
    const t = now();
    for (const s of opts.suppliers.values()) {
      if (s.onboardAt !== null && s.onboardAt <= t && s.attributes.onboardingStatus === 'CREATED') {
        s.attributes.onboardingStatus = 'ONBOARDED';
        s.onboardAt = null;
        if (s.attributes.peppolReceiver) register(s);
      }
    }
    for (const d of outbound.values()) {
      if (d.status === 'created' && t >= d.createdAt + opts.stepMs) {
        d.statusChangedAt = d.createdAt + opts.stepMs;
        if (d.verdict.stage === 'invalid') {
          d.status = 'invalid';
          d.errors = d.verdict.errors;
        } else d.status = 'sending';
      }
      if (d.status === 'sending' && t >= d.createdAt + 2 * opts.stepMs) {
        d.statusChangedAt = d.createdAt + 2 * opts.stepMs;
        if (d.verdict.stage === 'send-error') {
          d.status = 'send-error';
          d.errors = d.verdict.errors;
          continue;
        }
        d.status = 'sent';
        d.transmissionId = randomUUID();
        const to = d.verdict.receiver ? receivingSupplier(d.verdict.receiver) : undefined;
        if (to) {
          const doc: InboundRecord = { id: randomUUID(), supplierId: to.id, createdAt: d.statusChangedAt, transmissionId: d.transmissionId, xml: d.xml, outboundId: d.id, businessStatuses: [] };
          opts.inbound.push(doc);
          void webhooks.emit('eInvoicing.inbound.document.new', { document: { id: doc.id, type: 'peppolInboundDocument' }, supplier: { id: to.id, type: 'supplier' } });
        }
      }
    }
  };

  return {
    suppliers: opts.suppliers,
    outbound,
    inbound: opts.inbound,
    registrations,
    variants: opts.variants,
    tick,
    register,
    submit(supplier, kind, xml) {
      const at = now();
      const d: OutboundRecord = { id: randomUUID(), supplierId: supplier.id, kind, xml, createdAt: at, statusChangedAt: at, status: 'created', transmissionId: null, errors: [], verdict: judge(xml, kind, supplier, { checkRoot: opts.checkRoot }), businessStatus: null };
      outbound.set(d.id, d);
      return d;
    },
  };
}
