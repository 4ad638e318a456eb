import Big from 'big.js';
import { createRandom } from '../random.js';
import { attachment, BILLING_SERVICE, coreDocument, MessageStore, type TraceRecord } from './messages.js';
import type { PartyRecord } from './parties.js';
import { writeUbl, type UblDocument } from '../ubl.js';

/**
 * The MAPI sandbox's data: the vendor document's parties and sample messages, and generated Belgian
 * parties and messages for paging and load.
 */

function kbo(n: number): string {
  const first8 = String(n).padStart(8, '0');
  return first8 + String(97 - (Number(first8) % 97)).padStart(2, '0');
}

const NAMES = ['Bakkerij', 'Garage', 'Drukkerij', 'Brouwerij', 'Apotheek', 'Bouwbedrijf', 'Transport', 'Consultancy', 'Schoolbus', 'Catering', 'Elektro', 'Tuinaanleg'];
const PLACES = ['Gent', 'Brugge', 'Leuven', 'Hasselt', 'Namur', 'Liège', 'Mons', 'Aalst', 'Kortrijk', 'Mechelen', 'Torhout', 'Diksmuide'];

/** The document's parties and capability lists, plus `bulk` generated Belgian companies. */
export function seedParties(seed: number, bulk: number): Map<string, PartyRecord> {
  const parties = new Map<string, PartyRecord>();
  const add = (p: PartyRecord) => parties.set(p.key, p);
  add({ key: '0196:1111118899', identifier: 'KT:1111118899', name: 'Supplier Company', profiles: ['BISENUBL-3.0', 'BISIMR-3.0', 'BISORD-3.0'], pendingFirst: false, approvalStep: false });
  // The batch sample answers PendingLookup for Customer Company; its GET sample lists BII04 (BISENUBL by transformation).
  add({ key: '0196:2222228899', identifier: 'KT:2222228899', name: 'Customer Company', profiles: ['BII04-1.0', 'BISIMR-3.0'], pendingFirst: true, approvalStep: false });
  add({ key: '0196:3333338899', identifier: 'KT:3333338899', name: 'Customer Company Two', profiles: ['BISENUBL-3.0'], pendingFirst: false, approvalStep: true });
  add({ key: '0196:4444448899', identifier: 'KT:4444448899', name: 'Customer Company Three', profiles: ['BII05-1.0'], pendingFirst: false, approvalStep: false });

  // Registered on Peppol under its VAT number only (9925), not its enterprise number: what the gateway's
  // CAPABILITY_VAT_FALLBACK is for.
  add({ key: '9925:BE0202239951', identifier: '9925:BE0202239951', name: 'Vereniging Alleen-BTW', profiles: ['BISENUBL-3.0'], pendingFirst: false, approvalStep: false });

  // A documented Peppol test receiver (Ibanity's list) that MAPI's network reaches too: a receiver two
  // channels can deliver to, for the gateway's AUTO choice.
  add({ key: '9944:NL840559537B01', identifier: '9944:NL840559537B01', name: 'Nederlandse Testontvanger BV', profiles: ['BISENUBL-3.0'], pendingFirst: false, approvalStep: false });

  const rnd = createRandom(seed);
  for (let i = 0; i < bulk; i++) {
    // Enterprise numbers start with 0 or 1: the first 8 digits stay below 20,000,000.
    const number = kbo(8_000_000 + i * 3917);
    const roll = rnd.next();
    const profiles = roll < 0.15 ? [] : roll < 0.25 ? ['BISENCII-3.0'] : roll < 0.3 ? ['BII05-1.0'] : ['BISENUBL-3.0'];
    if (profiles.length && rnd.chance(0.4)) profiles.push('BISIMR-3.0');
    if (profiles.length && rnd.chance(0.2)) profiles.push('BISORD-3.0');
    add({
      key: `0208:${number}`,
      identifier: `0208:${number}`,
      name: `${rnd.pick(NAMES)} ${rnd.pick(PLACES)} ${i + 1}`,
      profiles,
      pendingFirst: rnd.chance(0.08),
      approvalStep: rnd.chance(0.2),
    });
  }
  return parties;
}

const sampleUbl = (number: string, kind: 'Invoice' | 'CreditNote', supplier: { identifier: string; name: string }, customer: { identifier: string; name: string }, total: string, currency = 'ISK'): string => {
  const net = new Big(total).div('1.24').round(2);
  const doc: UblDocument = {
    kind,
    number,
    issueDate: '2020-06-25',
    dueDate: kind === 'Invoice' ? '2020-07-25' : null,
    currency,
    buyerReference: 'REF-1',
    paymentId: null,
    supplier: { ...supplier, vat: 'IS123456', country: 'IS' },
    customer: { ...customer, country: 'IS' },
    lines: [{ id: '1', name: 'Services', quantity: '1', unitCode: 'C62', unitPrice: net.toFixed(2), lineTotal: net.toFixed(2), taxPercent: '24', taxCategory: 'S' }],
    taxExclusive: net.toFixed(2),
    tax: new Big(total).minus(net).toFixed(2),
    payable: new Big(total).toFixed(2),
  };
  return writeUbl(doc);
};

const SUPPLIER = { identifier: 'KT:1111118899', name: 'Supplier Company' };
const CUSTOMER = { identifier: 'KT:2222228899', name: 'Customer Company' };

/** The document's sample messages, in the copies of Supplier Company and Customer Company. */
function seedSamples(store: MessageStore): void {
  const traces = (at: string): TraceRecord[] => [
    { timestamp: at, sourceIp: 'mapi.dsp-test.unimaze.com', sourceUser: 'Jóhan Jónsson', sourcePartyName: 'Supplier Company', typeName: 'CreateClosed', message: 'Message created (Invoice, text/xml) - ready for processing' },
    { timestamp: new Date(Date.parse(at) + 517).toISOString(), sourceIp: '', sourceUser: '', typeName: 'MovedToReceiverInbox', message: 'Message transferred to inbox of receiving party' },
  ];
  const invoiceToCustomer = (uniqueId: string, time: string, passcodes: [string, string]) => {
    for (const [owner, transfer, ownerId] of [['0196:1111118899', 'outbound', 'KT:1111118899'], ['0196:2222228899', 'inbound', 'KT:2222228899']] as const) {
      store.add({
        uniqueId, owner, timeReceived: time, timeDelivered: time, documentNo: 'INV19093078', status: 'delivered', transfer, validationStatus: 'approved',
        service: BILLING_SERVICE, action: 'SubmitInvoice', conversation: '200625:749235:KT:1111118899', referenceInformation: '72980 ISK',
        originParty: SUPPLIER, destinationParty: CUSTOMER,
        documents: [
          coreDocument(uniqueId, ownerId, 'Invoice', () => sampleUbl('INV19093078', 'Invoice', SUPPLIER, CUSTOMER, '72980'), passcodes[0]),
          attachment(uniqueId, ownerId, 1, 'Timesheet', 'application/pdf', passcodes[1]),
        ],
        traces: traces(time), validationEntries: [], metadata: null, original: null,
      });
    }
  };
  invoiceToCustomer('d1abd08e-d4a4-45f5-bb52-118c74bba786', '2020-06-25T15:11:46.9999283Z', ['ae47dbywk', 'kuh4nbge']);
  invoiceToCustomer('c070ad45-9be1-43a9-95e4-fe053636a98a', '2020-06-25T15:11:47.0249338Z', ['ae47dbywk', 'kuh4nbge']);
  invoiceToCustomer('3c6a906a-f98c-491d-8b53-4aa9ea142a17', '2020-06-25T15:11:47.0289479Z', ['ae47dbywk', 'kuh4nbge']);

  // The credit note from Customer Company, waiting in Supplier Company's inbox.
  const cn = '5c4c5450-bf3e-4a83-965b-d4a0b9f0dd0c';
  const cnTime = '2020-06-25T15:11:47.1469224Z';
  for (const [owner, transfer, status] of [['0196:1111118899', 'inbound', 'pendingdelivery'], ['0196:2222228899', 'outbound', 'delivered']] as const) {
    store.add({
      uniqueId: cn, owner, timeReceived: cnTime, timeDelivered: status === 'delivered' ? cnTime : null, documentNo: 'CN19104518', status, transfer, validationStatus: 'approved',
      service: BILLING_SERVICE, action: 'CorrectWithCredit', conversation: '200625:056487:KT:2222228899', referenceInformation: '45862 ISK',
      originParty: CUSTOMER, destinationParty: SUPPLIER,
      documents: [coreDocument(cn, 'KT:1111118899', 'CreditNote', () => sampleUbl('CN19104518', 'CreditNote', CUSTOMER, SUPPLIER, '45862'), 'o964xlgfdt')],
      traces: traces(cnTime), validationEntries: [], metadata: null, original: null,
    });
  }
  const two = { identifier: 'KT:3333338899', name: 'Customer Company Two' };
  const m2 = '27769088-206c-4504-9046-470f614fe18e';
  store.add({
    uniqueId: m2, owner: '0196:1111118899', timeReceived: cnTime, timeDelivered: cnTime, documentNo: 'INV19100035', status: 'delivered', transfer: 'outbound', validationStatus: 'approved',
    service: 'urn:www.nesubl.eu:profiles:profile4:ver2.0##NESUBL-2.0', action: 'SubmitInvoice', conversation: '200625:754822:KT:1111118899', referenceInformation: '815458.25 ISK',
    originParty: SUPPLIER, destinationParty: two,
    documents: [
      coreDocument(m2, 'KT:1111118899', 'Invoice', () => sampleUbl('INV19100035', 'Invoice', SUPPLIER, two, '815458.25'), 'h1zeefz9f6'),
      attachment(m2, 'KT:1111118899', 1, 'Report-September-2019', 'application/pdf', 'q4hvnd56'),
      { ...attachment(m2, 'KT:1111118899', 2, 'Contract-AEH3890', 'image/png', 'z58laodg'), content: () => Buffer.from('89504e470d0a1a0a', 'hex') },
    ],
    traces: traces(cnTime), validationEntries: [], metadata: null, original: null,
  });
  const three = { identifier: 'KT:4444448899', name: 'Customer Company Three' };
  const m3 = '973105e2-fda1-42a4-912c-8a9250808db0';
  store.add({
    uniqueId: m3, owner: '0196:1111118899', timeReceived: cnTime, timeDelivered: cnTime, documentNo: 'INV19102771', status: 'delivered', transfer: 'outbound', validationStatus: 'approved',
    service: 'urn:www.cenbii.eu:profile:bii05:ver1.0##CENBII-1.0', action: 'SubmitInvoice', conversation: '200625:184542:KT:1111118899', referenceInformation: 'AMT-784',
    originParty: SUPPLIER, destinationParty: three,
    documents: [
      coreDocument(m3, 'KT:1111118899', 'Invoice', () => sampleUbl('INV19102771', 'Invoice', SUPPLIER, three, '784'), 'ffs4ivrwbh'),
      attachment(m3, 'KT:1111118899', 1, 'Project-Customer-Company-Three', 'application/pdf', 'u34g8quh51'),
    ],
    traces: traces(cnTime), validationEntries: [], metadata: null, original: null,
  });
}

/** The document's samples plus `bulk` generated messages of Supplier Company with Belgian parties. */
export function seedMessages(parties: Map<string, PartyRecord>, seed: number, bulk: number): MessageStore {
  const store = new MessageStore();
  seedSamples(store);
  const rnd = createRandom(seed + 1);
  const belgian = [...parties.values()].filter((p) => p.key.startsWith('0208:'));
  const start = Date.parse('2024-01-01T00:00:00Z');
  const span = Date.parse('2026-11-01T00:00:00Z') - start;
  for (let i = 0; i < bulk; i++) {
    const other = belgian[rnd.int(0, belgian.length - 1)]!;
    const inbound = rnd.chance(0.4);
    const credit = rnd.chance(0.1);
    const uniqueId = rnd.uuid();
    const time = new Date(start + Math.floor(rnd.next() * span)).toISOString();
    const number = `${credit ? 'CN' : 'INV'}${2024000 + i}`;
    const net = new Big(rnd.int(1000, 500_000)).div(100);
    const tax = net.times('0.21').round(2);
    const total = net.plus(tax).toFixed(2);
    const roll = rnd.next();
    const status = inbound
      ? roll < 0.45 ? 'pendingdelivery' : roll < 0.6 ? 'pendingprocessing' : roll < 0.95 ? 'delivered' : 'failed'
      : roll < 0.8 ? 'delivered' : roll < 0.88 ? 'failed' : roll < 0.93 ? 'retrying' : roll < 0.97 ? 'received' : 'notset';
    const me = SUPPLIER;
    const them = { identifier: other.identifier, name: other.name };
    const [origin, destination] = inbound ? [them, me] : [me, them];
    const kind = credit ? 'CreditNote' : 'Invoice';
    const ubl: UblDocument = {
      kind, number, issueDate: time.slice(0, 10), dueDate: credit ? null : new Date(Date.parse(time) + 30 * 86_400_000).toISOString().slice(0, 10),
      currency: 'EUR', buyerReference: `PO-${i}`, paymentId: null,
      supplier: { ...origin, vat: origin.identifier.startsWith('0208:') ? `BE${origin.identifier.slice(5)}` : 'IS123456', country: origin.identifier.startsWith('0208:') ? 'BE' : 'IS' },
      customer: { ...destination, country: destination.identifier.startsWith('0208:') ? 'BE' : 'IS' },
      lines: [{ id: '1', name: 'Goods and services', quantity: '1', unitCode: 'C62', unitPrice: net.toFixed(2), lineTotal: net.toFixed(2), taxPercent: '21', taxCategory: 'S' }],
      taxExclusive: net.toFixed(2), tax: tax.toFixed(2), payable: total,
    };
    const failed = status === 'failed';
    store.add({
      uniqueId, owner: '0196:1111118899', timeReceived: time, timeDelivered: status === 'delivered' ? time : null, documentNo: number, status,
      transfer: inbound ? 'inbound' : 'outbound', validationStatus: failed && rnd.chance(0.5) ? 'rejected' : 'approved',
      service: BILLING_SERVICE, action: credit ? 'CorrectWithCredit' : 'SubmitInvoice', conversation: `${time.slice(2, 10).replace(/-/g, '')}:${String(rnd.int(0, 999_999)).padStart(6, '0')}:${origin.identifier}`,
      referenceInformation: `${Math.round(Number(total))} EUR`, originParty: origin, destinationParty: destination,
      documents: [coreDocument(uniqueId, 'KT:1111118899', kind, () => writeUbl(ubl))],
      traces: [{ timestamp: time, typeName: 'CreateClosed', message: `Message created (${kind}, text/xml) - ready for processing` }],
      validationEntries: failed
        ? [{ statusType: 'schematron-error', referenceKey: 'UBL-INVOICE BISENUBL-3.0', friendlyMessage: 'Document breaks a business rule', detailMessage: '[BR-CL-11]-Any registration identifier identification scheme identifier MUST be coded using one of the ISO 6523 ICD list.' }]
        : [],
      // As if created from JSON metadata, so GET /transactions/...?messageId= answers for it.
      metadata: {
        [credit ? 'creditNote' : 'invoice']: {
          [credit ? 'creditNoteNo' : 'invoiceNo']: number,
          issueDate: `${ubl.issueDate}T00:00:00Z`,
          ...(ubl.dueDate ? { dueDate: `${ubl.dueDate}T00:00:00Z` } : {}),
          currencyCode: 'EUR',
          buyerReference: ubl.buyerReference,
          supplier: { name: origin.name, identifier: origin.identifier, vatNumber: ubl.supplier.vat, address: { countryCode: ubl.supplier.country } },
          customer: { name: destination.name, identifier: destination.identifier, address: { countryCode: ubl.customer.country } },
          [credit ? 'creditNoteLines' : 'invoiceLines']: [
            { itemNo: '1', name: 'Goods and services', quantity: 1, unitOfMeasure: { unit: 'Piece' }, unitPriceAmount: Number(net), taxCategoryType: 'StandardRated', taxableAmount: Number(net), taxAmount: Number(tax), taxPercentage: 21 },
          ],
          payableAmount: Number(total),
        },
      },
      original: null,
    });
  }
  return store;
}
