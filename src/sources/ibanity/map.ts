import { address } from '../../domain/address.js';
import { companyIdentifiers, participantId } from '../../domain/identifiers.js';
import type { BuyerResponseModel, DocumentFormatModel, DocumentModel, DocumentTypeName, InvoiceModel, MessageModel, MessageStatusName, PartyModel, PeppolRegistrationModel, PeppolSupplierModel, SourceCapability } from '../../domain/models.js';
import type { UblInvoice } from '../../domain/ublInvoiceReader.js';
import { invoiceFromUbl, partyFromUbl } from '../../domain/ublInvoiceModel.js';
import { messageId, messageInvoiceId, messageLocal, partyId, supplierId, type MessageLocal, type OutboundKind } from './ids.js';
import type { WireCustomerSearch, WireInbound, WireOutbound, WireRegistration, WireSupplier } from './wire.js';
import type { z } from 'zod';

/** Ibanity's words in the unified model. */

/** Outbound technical status → unified status; `upstreamStatus` keeps Ibanity's word. */
export const MESSAGE_STATUS: Record<string, MessageStatusName> = {
  created: 'QUEUED',
  sending: 'SENDING',
  sent: 'DELIVERED',
  acknowledged: 'DELIVERED',
  accepted: 'DELIVERED',
  rejected: 'FAILED',
  invalid: 'INVALID',
  'send-error': 'FAILED',
};

const ONBOARDING = new Set(['CREATED', 'APPROVED', 'ONBOARDED', 'REJECTED', 'OFFBOARDED']);
const REGISTRATION: Record<string, PeppolRegistrationModel['status']> = { 'registration-in-progress': 'IN_PROGRESS', registered: 'REGISTERED', 'registration-failed': 'FAILED', deregistered: 'DEREGISTERED' };

/**
 * Ibanity writes timestamps with microseconds, and (per the SDK) sometimes `+00:00` as ` 00:00`;
 * both become a plain ISO instant.
 */
export function instant(s: string | null | undefined): string | null {
  if (!s) return null;
  const t = Date.parse(s.replace(/ (\d\d:\d\d)$/, '+$1'));
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

const blank = (s: string | null | undefined) => (s && s.trim() ? s.trim() : null);

export function toSupplier(connection: string, s: WireSupplier): PeppolSupplierModel {
  const a = s.attributes;
  return {
    id: supplierId(connection, s.id),
    source: 'IBANITY',
    connection,
    supplierId: s.id,
    names: a.names.map((n) => n.value),
    enterpriseNumber: blank(a.enterpriseIdentification.enterpriseNumber),
    vatNumber: blank(a.enterpriseIdentification.vatNumber),
    onboardingStatus: ONBOARDING.has(a.onboardingStatus) ? (a.onboardingStatus as PeppolSupplierModel['onboardingStatus']) : 'UNKNOWN',
    upstreamOnboardingStatus: a.onboardingStatus,
    peppolReceiver: a.peppolReceiver,
    ibans: a.ibans.map((i) => i.value),
    email: blank(a.email),
    contactEmail: blank(a.contactEmail),
    phoneNumber: blank(a.phoneNumber),
    homepage: blank(a.homepage),
    // Ibanity spells the country out in English ("Belgium"); only Belgium is mapped to its code.
    address: address({ street: a.street ?? null, number: a.streetNumber ?? null, box: null, postalCode: a.zip ?? null, city: a.city ?? null, countryCode: /^belgi/i.test(a.country ?? '') ? 'BE' : blank(a.country) }),
    createdAt: instant(a.createdAt),
  };
}

/** The supplier's identifiers: its enterprise number (0208 and 9925 with it), else its VAT number. */
export const supplierIdentifiers = (s: PeppolSupplierModel) => companyIdentifiers(s.enterpriseNumber, s.vatNumber);

export function supplierParty(connection: string, s: PeppolSupplierModel): PartyModel | null {
  const ids = supplierIdentifiers(s);
  if (!ids.length) return null;
  const kbo = ids.find((i) => i.scheme === '0208')?.value ?? null;
  return {
    id: partyId(connection, ids[0]!.iso6523),
    name: s.names[0] ?? null,
    identifiers: ids,
    enterpriseNumber: kbo,
    vatNumber: s.vatNumber ?? (kbo ? `BE${kbo}` : null),
    address: s.address,
    email: s.contactEmail ?? s.email,
    bankAccounts: s.ibans.map((iban) => ({ iban: iban.replace(/\s/g, ''), bic: null, currency: null, type: null })),
    sources: ['IBANITY'],
  };
}

export function toRegistration(r: WireRegistration): PeppolRegistrationModel {
  const a = r.attributes;
  const scheme = a.type === 'enterprise-number' ? '0208' : a.type === 'vat-number' ? '9925' : null;
  return {
    identifier: scheme ? participantId(scheme, a.value.toUpperCase()) : null,
    type: a.type,
    value: a.value,
    status: REGISTRATION[a.status] ?? 'UNKNOWN',
    upstreamStatus: a.status,
    reason: a.reason ?? null,
    accessPoints: a.accessPoints ?? [],
    modifiedAt: instant(a.modifiedAt ?? a.createdAt),
  };
}

const DOCUMENT_TYPE: Record<string, DocumentTypeName> = { Invoice: 'INVOICE', CreditNote: 'CREDIT_NOTE' };

/** A customer search as a capability answer for one document type (formats of other types dropped). */
export function toSourceCapability(documentType: DocumentTypeName, search: z.infer<typeof WireCustomerSearch> | null, checkedAt: string): SourceCapability {
  if (!search) return { status: 'NOT_FOUND', formats: [], checkedAt };
  const formats: DocumentFormatModel[] = search.attributes.supportedDocumentFormats
    .filter((f) => DOCUMENT_TYPE[f.localName] === documentType)
    .map((f) => ({
      source: 'IBANITY',
      documentType,
      name: /peppol\.eu:2017:poacc:billing:3\.0/.test(f.customizationId) ? 'Peppol BIS Billing 3.0' : /UBL\.BE/.test(f.customizationId) ? 'UBL.BE' : null,
      profileId: f.profileId ?? null,
      customizationId: f.customizationId,
      syntax: 'UBL',
      viaTransformation: false,
    }));
  return { status: 'READY', formats, checkedAt };
}

const ublDocument = (connection: string, ref: string, name: string, kind: 'ibanity-inbound' | 'ibanity-sent'): DocumentModel => ({
  name,
  folder: null,
  format: 'UBL',
  contentType: 'application/xml',
  available: true,
  download: { source: 'IBANITY', connection, kind, ref, name, contentType: 'application/xml' },
});

const ublParty = (p: UblInvoice['seller']) => partyFromUbl(p, (iso) => partyId('ubl', iso));

/** The kind a list item's `type` names; null for the generic `peppolOutboundDocument`. */
export const listedKind = (d: WireOutbound): OutboundKind | null => (/credit/i.test(d.type) ? 'credit-note' : /invoice/i.test(d.type) ? 'invoice' : null);

/**
 * Ibanity's business status words (the buyer's Invoice Response: POST business-statuses takes
 * acknowledged, accepted, rejected; the Peppol codes they stand for are UNCL 4343's).
 */
const BUYER_RESPONSE: Record<string, BuyerResponseModel['status']> = {
  acknowledged: 'ACKNOWLEDGED', ab: 'ACKNOWLEDGED',
  'in-process': 'IN_PROCESS', in_process: 'IN_PROCESS', ip: 'IN_PROCESS',
  'under-query': 'UNDER_QUERY', under_query: 'UNDER_QUERY', uq: 'UNDER_QUERY',
  'conditionally-accepted': 'CONDITIONALLY_ACCEPTED', conditionally_accepted: 'CONDITIONALLY_ACCEPTED', ca: 'CONDITIONALLY_ACCEPTED',
  accepted: 'ACCEPTED', ap: 'ACCEPTED',
  rejected: 'REJECTED', re: 'REJECTED',
  paid: 'PAID', pd: 'PAID',
};

export function buyerResponse(word: string | null | undefined, at: string | null): BuyerResponseModel | null {
  if (!word) return null;
  return { status: BUYER_RESPONSE[word.toLowerCase()] ?? 'OTHER', upstreamStatus: word, at };
}

/** A sent document; `kind` null when neither the list record nor Ibanity's routes say which it is. */
export function toOutboundMessage(connection: string, d: WireOutbound, supplier: PartyModel | null, ubl: UblInvoice | null, hasDocument: boolean, kind: OutboundKind | null = listedKind(d)): MessageModel {
  const local: MessageLocal = { kind: kind ?? 'invoice', id: d.id };
  const status = (d.attributes.technicalStatus ?? d.attributes.status ?? 'created').toLowerCase();
  const changed = instant(d.attributes.statusChangedAt);
  return {
    id: messageId(connection, local),
    uniqueId: messageLocal(local),
    connection,
    source: 'IBANITY',
    direction: 'OUTBOUND',
    status: MESSAGE_STATUS[status] ?? 'QUEUED',
    upstreamStatus: status,
    documentType: kind === 'invoice' ? 'INVOICE' : kind === 'credit-note' ? 'CREDIT_NOTE' : null,
    documentNumber: ubl?.number ?? null,
    sender: supplier,
    receiver: ubl ? ublParty(ubl.buyer) : null,
    createdAt: instant(d.attributes.createdAt),
    deliveredAt: status === 'sent' || status === 'acknowledged' || status === 'accepted' ? changed : null,
    documents: hasDocument ? [ublDocument(connection, messageLocal(local), `${ubl?.number ?? d.id}.xml`, 'ibanity-sent')] : [],
    validationStatus: status === 'invalid' ? 'invalid' : null,
    transmissionId: d.attributes.transmissionId ?? null,
    // Ibanity gives no time of the answer on the document: only that it came.
    buyerResponse: buyerResponse(d.attributes.businessStatus, null),
  };
}

export function toInboundMessage(connection: string, d: WireInbound, receiver: PartyModel | null, ubl: UblInvoice | null): MessageModel {
  return {
    id: messageId(connection, { kind: 'inbound', id: d.id }),
    uniqueId: `inbound:${d.id}`,
    connection,
    source: 'IBANITY',
    direction: 'INBOUND',
    // Ibanity hands inbound documents over as they arrive: received is delivered to this side.
    status: 'DELIVERED',
    upstreamStatus: 'received',
    documentType: ubl?.kind ?? null,
    documentNumber: ubl?.number ?? null,
    sender: ubl ? ublParty(ubl.seller) : null,
    receiver,
    createdAt: instant(d.attributes.createdAt),
    deliveredAt: instant(d.attributes.createdAt),
    documents: [ublDocument(connection, d.id, `${ubl?.number ?? d.id}.xml`, 'ibanity-inbound')],
    validationStatus: null,
    transmissionId: d.attributes.transmissionId ?? null,
    // What this side answered lives in the document's business statuses, read when asked for.
  };
}

/** The invoice a message carries, from its UBL. */
export function toInvoice(connection: string, m: MessageModel, ubl: UblInvoice): InvoiceModel {
  const local = m.uniqueId.startsWith('inbound:') ? { kind: 'inbound' as const, id: m.uniqueId.slice(8) } : { kind: m.uniqueId.startsWith('credit-note:') ? ('credit-note' as const) : ('invoice' as const), id: m.uniqueId.split(':')[1]! };
  return invoiceFromUbl(ubl, { id: messageInvoiceId(connection, local), source: 'IBANITY', direction: m.direction, createdAt: m.createdAt, documents: m.documents, partyId: (iso) => partyId('ubl', iso) });
}
