import Big from 'big.js';
import type { SandboxRequest, SandboxResponse, SandboxServer } from '../../server.js';
import { findGroup } from '../catalog.js';
import { invalid, param, required, unprocessable } from '../errors.js';
import { checkMetadata, type DocKey } from '../metadata.js';
import { attachment, BILLING_SERVICE, referenceId, type DocumentRecord, type MessageRecord, type MessageStore } from '../messages.js';
import { messageJson } from './messages.js';
import { canonicalKey, type PartyRecord } from '../parties.js';
import { writeUbl, type UblDocument } from '../../ubl.js';

export interface ProcessingControl {
  /** Delay before a closed message is processed. */
  delayMs: number;
  /** Outcomes to apply instead of delivery to the next processed messages (only those with `documentNo`, when given). */
  faults: { outcome: 'retrying' | 'failed'; documentNo?: string }[];
}

const TRANSACTIONS: Record<string, { key: DocKey; group: string }> = {
  'submit-invoice': { key: 'invoice', group: 'SubmitInvoice' },
  'correct-with-credit': { key: 'creditNote', group: 'CorrectWithCredit' },
  'submit-order': { key: 'order', group: 'SubmitOrder' },
  'submit-billing-response': { key: 'billingResponse', group: 'SubmitBillingResponse' },
  'submit-payment-notification': { key: 'paymentNotification', group: 'SubmitPaymentNotification' },
};

const isUuid = (s: string | null): s is string => !!s && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
const bool = (s: string | null) => (s === null ? null : s.toLowerCase() === 'true' ? true : s.toLowerCase() === 'false' ? false : null);
const esc = (s: unknown) => String(s ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;');
type Json = Record<string, any>;

/** The UBL core document MAPI generates from transaction metadata. */
function coreFromMetadata(key: DocKey, doc: Json, totals: { taxable: string; tax: string; payable: string } | null): { name: string; namespace: string; xml: string; number: string } {
  if (key === 'invoice' || key === 'creditNote') {
    const lines = (key === 'invoice' ? doc.invoiceLines : doc.creditNoteLines) as Json[];
    const u: UblDocument = {
      kind: key === 'invoice' ? 'Invoice' : 'CreditNote',
      number: key === 'invoice' ? doc.invoiceNo : doc.creditNoteNo,
      issueDate: String(doc.issueDate).slice(0, 10),
      dueDate: doc.dueDate ? String(doc.dueDate).slice(0, 10) : null,
      currency: doc.currencyCode,
      buyerReference: doc.buyerReference ?? doc.orderReference?.documentNo ?? null,
      paymentId: doc.paymentMeans?.sepaCreditTransfer?.paymentId ?? doc.paymentMeans?.paymentId ?? null,
      supplier: { name: doc.supplier.name, identifier: doc.supplier.identifier, vat: doc.supplier.vatNumber ?? null, country: doc.supplier.address.countryCode },
      customer: { name: doc.customer.name, identifier: doc.customer.identifier, country: doc.customer.address.countryCode },
      lines: lines.map((l, i) => ({
        id: String(i + 1),
        name: l.name,
        quantity: String(l.quantity),
        unitCode: l.unitOfMeasure.code ?? 'C62',
        unitPrice: new Big(String(l.unitPriceAmount)).toFixed(2),
        lineTotal: new Big(String(l.taxableAmount)).toFixed(2),
        taxPercent: String(l.taxPercentage),
        taxCategory: { StandardRated: 'S', ReducedRated: 'AA', ZeroRated: 'Z', Exempt: 'E', NotSubjectToVat: 'O' }[String(l.taxCategoryType)] ?? 'S',
      })),
      taxExclusive: totals!.taxable,
      tax: totals!.tax,
      payable: totals!.payable,
    };
    return { name: u.kind, namespace: `urn:oasis:names:specification:ubl:schema:xsd:${u.kind}-2`, xml: writeUbl(u), number: u.number };
  }
  if (key === 'order') {
    return {
      name: 'Order',
      namespace: 'urn:oasis:names:specification:ubl:schema:xsd:Order-2',
      number: doc.orderNo,
      xml: `<?xml version="1.0" encoding="UTF-8"?>\n<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:ID>${esc(doc.orderNo)}</cbc:ID><cbc:IssueDate>${esc(String(doc.issueDate).slice(0, 10))}</cbc:IssueDate></Order>\n`,
    };
  }
  if (key === 'billingResponse') {
    const number = `IMR-${doc.documentReference.documentNo}`;
    return {
      name: 'ApplicationResponse',
      namespace: 'urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2',
      number,
      xml: `<?xml version="1.0" encoding="UTF-8"?>\n<ApplicationResponse xmlns="urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:ID>${esc(number)}</cbc:ID><cbc:IssueDate>${esc(String(doc.issueDate ?? new Date().toISOString()).slice(0, 10))}</cbc:IssueDate><cac:DocumentResponse><cac:Response><cbc:ResponseCode>${esc(doc.status)}</cbc:ResponseCode>${doc.reasonDescription ? `<cbc:Description>${esc(doc.reasonDescription)}</cbc:Description>` : ''}</cac:Response><cac:DocumentReference><cbc:ID>${esc(doc.documentReference.documentNo)}</cbc:ID></cac:DocumentReference></cac:DocumentResponse></ApplicationResponse>\n`,
    };
  }
  const number = `PN-${doc.documentReference?.documentNo ?? Date.now()}`;
  return {
    name: 'RemittanceAdvice',
    namespace: 'urn:oasis:names:specification:ubl:schema:xsd:RemittanceAdvice-2',
    number,
    xml: `<?xml version="1.0" encoding="UTF-8"?>\n<RemittanceAdvice xmlns="urn:oasis:names:specification:ubl:schema:xsd:RemittanceAdvice-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:ID>${esc(number)}</cbc:ID><cbc:TotalPaymentAmount>${esc(doc.paidAmount)}</cbc:TotalPaymentAmount></RemittanceAdvice>\n`,
  };
}

/** What a raw business document says about itself; null when it is not one MAPI takes. */
function readRawDocument(xml: string): { root: string; number: string; receiver: string | null } | null {
  if (/<!DOCTYPE/i.test(xml)) return null;
  const root = /<(?:[A-Za-z0-9_]+:)?(Invoice|CreditNote|Order|OrderResponse|ApplicationResponse)[\s>]/.exec(xml.replace(/<\?xml[^>]*\?>/, '').trimStart())?.[1];
  if (!root) return null;
  const number = /<cbc:ID>([^<]+)<\/cbc:ID>/.exec(xml)?.[1] ?? '';
  const block = root === 'Order' ? 'SellerSupplierParty' : root === 'ApplicationResponse' ? 'ReceiverParty' : 'AccountingCustomerParty';
  const part = new RegExp(`<cac:${block}>([\\s\\S]*?)</cac:${block}>`).exec(xml)?.[1] ?? (root === 'ApplicationResponse' ? xml : '');
  const ep = /<cbc:EndpointID\s+schemeID="([^"]+)"\s*>([^<]+)<\/cbc:EndpointID>/.exec(part);
  return { root, number, receiver: ep ? `${ep[1]}:${ep[2]}` : null };
}

function bodyBytes(req: SandboxRequest): Buffer | SandboxResponse {
  const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/base64') return Buffer.from(req.body.toString('ascii'), 'base64');
  // The document names octet-stream; XML types are accepted leniently.
  if (['application/octet-stream', 'text/xml', 'application/xml'].includes(type)) return req.body;
  return { status: 415, body: { '': [`Unsupported content type '${type}'.`] } };
}

export function registerTransactionRoutes(
  server: SandboxServer,
  store: MessageStore,
  parties: Map<string, PartyRecord>,
  ownerOf: (req: SandboxRequest) => string,
  control: ProcessingControl,
  now: () => number,
) {
  const partyView = (key: string) => {
    const p = parties.get(key);
    return p ? { identifier: p.identifier, name: p.name } : null;
  };

  /** Delivers a closed outbound message: the receiver's inbound copy, or the fallback e-mail. */
  const process = (m: MessageRecord, fallbackEmail: string | null) => {
    setTimeout(() => {
      const at = new Date(now()).toISOString();
      const at_ = control.faults.findIndex((f) => f.documentNo === undefined || f.documentNo === m.documentNo);
      const fault = at_ >= 0 ? control.faults.splice(at_, 1)[0]!.outcome : undefined;
      if (fault) {
        m.status = fault;
        m.traces.push({ timestamp: at, typeName: fault === 'failed' ? 'DeliveryFailed' : 'DeliveryRetrying', message: fault === 'failed' ? 'Delivery failed after the maximum number of attempts' : 'Temporary delivery error; retrying' });
        return;
      }
      const receiverKey = canonicalKey(m.destinationParty.identifier);
      const receiver = receiverKey ? parties.get(receiverKey) : undefined;
      m.status = 'delivered';
      m.timeDelivered = at;
      if (!receiver) {
        m.traces.push({ timestamp: at, typeName: 'DeliveredByEmail', message: `Receiver not found on the network; sent by e-mail to ${fallbackEmail ?? 'the fallback address'}` });
        return;
      }
      m.traces.push({ timestamp: at, typeName: 'MovedToReceiverInbox', message: 'Message transferred to inbox of receiving party' });
      store.add({
        ...m,
        owner: receiver.key,
        transfer: 'inbound',
        status: receiver.approvalStep ? 'pendingprocessing' : 'pendingdelivery',
        timeDelivered: null,
        documents: m.documents.map((d) => ({ ...d, referenceId: referenceId(m.uniqueId, receiver.identifier, d.index) })),
        traces: [...m.traces],
      });
    }, control.delayMs);
  };

  /** Common checks and creation of an outbound message; `make` gives its content once the checks pass. */
  const create = (req: SandboxRequest, opts: { messageIdParam: string; moreParam: string }, make: () => SandboxResponse | Omit<MessageRecord, 'uniqueId' | 'owner' | 'status' | 'timeReceived' | 'timeDelivered' | 'transfer' | 'traces' | 'validationEntries' | 'original'> & { fallbackEmail: string | null }): SandboxResponse => {
    const id = param(req.query, opts.messageIdParam);
    const more = bool(param(req.query, opts.moreParam));
    const missing = [...(!id ? [opts.messageIdParam] : []), ...(more === null ? [opts.moreParam] : [])];
    if (missing.length) return required(...missing);
    if (!isUuid(id)) return invalid({ [opts.messageIdParam]: [`The value '${id}' is not a valid GUID.`] });
    if (store.exists(id)) return unprocessable(`A message with the id '${id}' already exists.`);
    const made = make();
    if ('status' in made) return made;
    const owner = ownerOf(req);
    const at = new Date(now()).toISOString();
    const { fallbackEmail, ...content } = made;
    const m: MessageRecord = {
      ...content,
      uniqueId: id.toLowerCase(),
      owner,
      status: more ? 'notset' : 'received',
      transfer: 'outbound',
      timeReceived: at,
      timeDelivered: null,
      traces: [{ timestamp: at, typeName: more ? 'CreateOpen' : 'CreateClosed', message: more ? 'Message created - more documents expected' : `Message created (${content.documents[0]?.name}, text/xml) - ready for processing` }],
      validationEntries: [],
      original: null,
    };
    m.documents = m.documents.map((d) => ({ ...d, referenceId: referenceId(m.uniqueId, partyView(owner)?.identifier ?? owner, d.index) }));
    store.add(m);
    fallbacks.set(m.uniqueId, fallbackEmail);
    if (!more) process(m, fallbackEmail);
    return { status: 201, body: messageJson(m) };
  };
  const fallbacks = new Map<string, string | null>();

  for (const [path, t] of Object.entries(TRANSACTIONS)) {
    server.route(`POST /transactions/${path}`, (req) =>
      create(req, { messageIdParam: 'messageId', moreParam: 'more' }, () => {
        let body: Json;
        try {
          body = JSON.parse(req.body.toString('utf8'));
        } catch {
          return invalid({ '': ['The request body is not valid JSON.'] });
        }
        const checked = checkMetadata(t.key, body);
        if (Object.keys(checked.errors).length) return invalid(checked.errors);
        if (checked.unprocessable) return unprocessable(checked.unprocessable);
        const doc = body[t.key] as Json;
        const receiver = String(body.messageHandling.receiverIdentifier);
        const receiverView = partyView(canonicalKey(receiver) ?? '') ?? { identifier: receiver, name: String(doc.customer?.name ?? doc.supplier?.name ?? receiver) };
        const owner = ownerOf(req);
        const core = coreFromMetadata(t.key, doc, checked.totals);
        const stored = checked.totals ? { ...doc, payableAmount: Number(checked.totals.payable) } : doc;
        const document: DocumentRecord = {
          index: 0, name: core.name, contentType: 'text/xml', encoding: 'utf-8', referenceId: '', namespace: core.namespace,
          attachmentType: 'Core', isTransformed: false, content: () => Buffer.from(core.xml, 'utf8'),
        };
        return {
          documentNo: core.number,
          validationStatus: 'approved',
          service: t.key === 'order' ? 'urn:fdc:peppol.eu:poacc:bis:ordering:3##PEPPOL-3.0-ORDER' : BILLING_SERVICE,
          action: t.group,
          conversation: param(req.query, 'conversationIdentifier') ?? `${new Date(now()).toISOString().slice(2, 10).replace(/-/g, '')}:${String(Math.floor(now() % 1_000_000)).padStart(6, '0')}:${partyView(owner)?.identifier ?? owner}`,
          referenceInformation: checked.totals ? `${Math.round(Number(checked.totals.taxable) + Number(checked.totals.tax))} ${doc.currencyCode}` : '',
          originParty: partyView(owner) ?? { identifier: owner, name: owner },
          destinationParty: receiverView,
          documents: [document],
          metadata: { [t.key]: stored, messageHandling: body.messageHandling },
          fallbackEmail: String(body.messageHandling.fallbackEmailAddress),
        };
      }),
    );
    server.route(`GET /transactions/${path}`, (req) => {
      const id = param(req.query, 'messageId') ?? param(req.query, 'mid');
      if (!id) return required('messageId');
      const m = store.get(id, ownerOf(req));
      if (!m || !m.metadata || m.action !== t.group) return unprocessable(`Could not find a ${t.group} message with id '${id}'.`);
      return { status: 200, body: { messageInfo: messageJson(m), [t.key]: m.metadata[t.key] } };
    });
  }

  server.route('POST /messages/create-business-transaction', (req) =>
    create(req, { messageIdParam: 'messageId', moreParam: 'more' }, () => {
      const groupName = param(req.query, 'transactionGroupIdentifier');
      if (!groupName) return required('transactionGroupIdentifier');
      const group = findGroup(groupName);
      if (!group) return unprocessable(`Could not find transaction group '${groupName}'`);
      const bytes = bodyBytes(req);
      if (!Buffer.isBuffer(bytes)) return bytes;
      const xml = bytes.toString('utf8');
      const doc = readRawDocument(xml);
      if (!doc) return unprocessable('The document is not a business document MAPI can process (a UBL 2.1 Invoice, CreditNote, Order, OrderResponse or ApplicationResponse without DOCTYPE).');
      if (!doc.receiver) return unprocessable('The document does not name its receiver (EndpointID).');
      const owner = ownerOf(req);
      return {
        documentNo: doc.number,
        validationStatus: 'approved',
        service: BILLING_SERVICE,
        action: group,
        conversation: param(req.query, 'conversationIdentifier') ?? `${new Date(now()).toISOString().slice(2, 10).replace(/-/g, '')}:000000:${partyView(owner)?.identifier ?? owner}`,
        referenceInformation: '',
        originParty: partyView(owner) ?? { identifier: owner, name: owner },
        destinationParty: partyView(canonicalKey(doc.receiver) ?? '') ?? { identifier: doc.receiver, name: doc.receiver },
        documents: [{ index: 0, name: doc.root, contentType: 'text/xml', encoding: 'utf-8', referenceId: '', namespace: `urn:oasis:names:specification:ubl:schema:xsd:${doc.root}-2`, attachmentType: 'Core', isTransformed: false, content: () => Buffer.from(xml, 'utf8') }],
        metadata: null,
        fallbackEmail: null,
      };
    }),
  );

  server.route('POST /messages/create-message', (req) =>
    create(req, { messageIdParam: 'MessageId', moreParam: 'More' }, () => {
      const missing = ['DestinationPartyInfo', 'Service', 'Action', 'Name', 'ContentType'].filter((n) => !param(req.query, n));
      if (missing.length) return required(...missing);
      const bytes = bodyBytes(req);
      if (!Buffer.isBuffer(bytes)) return bytes;
      const owner = ownerOf(req);
      const dest = param(req.query, 'DestinationPartyInfo')!;
      return {
        documentNo: param(req.query, 'DocumentNo') ?? '',
        // create-message does not validate: always unknown (the document says so).
        validationStatus: 'unknown',
        service: param(req.query, 'Service')!,
        action: param(req.query, 'Action')!,
        conversation: param(req.query, 'ConversationIdentifier') ?? '',
        referenceInformation: param(req.query, 'ReferenceInformation') ?? '',
        originParty: partyView(owner) ?? { identifier: owner, name: owner },
        destinationParty: partyView(canonicalKey(dest) ?? '') ?? { identifier: dest, name: dest },
        documents: [{ index: 0, name: param(req.query, 'Name')!, contentType: param(req.query, 'ContentType')!, encoding: param(req.query, 'Encoding') ?? '', referenceId: '', namespace: param(req.query, 'Namespace') ?? '', attachmentType: 'Core', isTransformed: false, content: () => bytes }],
        metadata: null,
        fallbackEmail: null,
      };
    }),
  );

  server.route('POST /messages/:id/documents', (req) => {
    const missing = ['Name', 'ContentType', 'More'].filter((n) => param(req.query, n) === null);
    if (missing.length) return required(...missing);
    const more = bool(param(req.query, 'More'));
    if (more === null) return invalid({ More: ['The value is not valid.'] });
    const m = store.get(req.params.id!, ownerOf(req));
    if (!m) return unprocessable(`Message '${req.params.id}' does not exist.`);
    if (m.status !== 'notset') return unprocessable(`Message '${req.params.id}' is closed (status '${m.status}'); no documents can be added.`);
    const name = param(req.query, 'Name')!;
    if (m.documents.some((d) => d.name === name)) return unprocessable(`A document named '${name}' is already in the message.`);
    const bytes = bodyBytes(req);
    if (!Buffer.isBuffer(bytes)) return bytes;
    const index = m.documents.length;
    m.documents.push({ ...attachment(m.uniqueId, m.originParty.identifier, index, name, param(req.query, 'ContentType')!), content: () => bytes });
    if (!more) {
      m.status = 'received';
      m.traces.push({ timestamp: new Date(now()).toISOString(), typeName: 'CreateClosed', message: 'Message closed - ready for processing' });
      process(m, fallbacks.get(m.uniqueId) ?? null);
    }
    return { status: 200, body: messageJson(m) };
  });
}
