import { createRandom } from '../random.js';
import { writeUbl } from '../ubl.js';

/** A supplier as the sandbox keeps it; `attributes` is what the API answers. */
export interface SupplierRecord {
  id: string;
  createdAt: number;
  /** When a CREATED supplier becomes ONBOARDED (null when it stays as it is). */
  onboardAt: number | null;
  attributes: SupplierAttributes;
}

export interface SupplierAttributes {
  city: string;
  companyNumber: string;
  contactEmail: string;
  country: string;
  email: string;
  enterpriseIdentification: { enterpriseNumber: string; vatNumber: string };
  homepage: string;
  ibans: { id: string; value: string }[];
  names: { id: string; value: string }[];
  onboardingStatus: 'CREATED' | 'APPROVED' | 'ONBOARDED' | 'OFFBOARDED' | 'REJECTED';
  peppolReceiver: boolean;
  phoneNumber: string;
  street: string;
  streetNumber: string;
  supportEmail: string;
  supportPhone: string;
  supportUrl: string;
  zip: string;
}

export interface InboundRecord {
  id: string;
  supplierId: string;
  createdAt: number;
  transmissionId: string;
  xml: string;
  /** The outbound document it came from, when it was sent through this sandbox. */
  outboundId: string | null;
  businessStatuses: { id: string; code: string; createdAt: number }[];
}

/** The blog post's sandbox supplier, exactly as listed there (CREATED, not a Peppol receiver). */
export const BLOG_SUPPLIER_ID = '273c1bdf-6258-4484-b6fb-74363721d51f';
/** An ONBOARDED Belgian supplier with valid enterprise and VAT numbers: the embedded default sends as it. */
export const ONBOARDED_SUPPLIER_ID = '5f0c1a52-7d3e-4c1b-9a57-2b8e6d0c4e11';
/** A supplier that is also a documented test receiver (0208:0840559537): what is sent to it arrives as its inbound. */
export const RECEIVER_SUPPLIER_ID = '8e4b7c1d-2a9f-4e36-b0d5-7c3a1f9e2b64';

/**
 * The documented test receivers (Lino's DEMO_RECEIVERS, and the VAT number of the corrected script):
 * the only references customer searches find. Anything else is 404 customerNotFound.
 */
export const TEST_RECEIVERS = ['9925:BE0840559537', '0208:0840559537', '9930:DE654321', '9938:LU654321', '0106:40559537', '9944:NL840559537B01', '0190:08405595370840559537', '9925:BE0010012671'];

/** Enterprise numbers registered with another access point: their registration fails (DOC-SUP's example). */
export const REGISTERED_ELSEWHERE: Record<string, string[]> = { '0143824670': ['Billit'] };

const PROFILE = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';
const ROOTS = { Invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2', CreditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2' };

/** The four formats the real sandbox returned for a test receiver (DOC-SUP). */
export const TEST_RECEIVER_FORMATS = (['Invoice', 'CreditNote'] as const).flatMap((localName) => [
  { rootNamespace: ROOTS[localName], localName, customizationId: 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0', profileId: PROFILE, ublVersionId: '2.1' },
  { rootNamespace: ROOTS[localName], localName, customizationId: 'urn:cen.eu:en16931:2017#conformant#urn:UBL.BE:1.0.0.20180214', profileId: PROFILE, ublVersionId: '2.1' },
]);

const T0 = Date.parse('2025-01-18T15:10:56.719Z');

function supplier(id: string, createdAt: number, a: Partial<SupplierAttributes> & Pick<SupplierAttributes, 'enterpriseIdentification' | 'names'>): SupplierRecord {
  return {
    id,
    createdAt,
    onboardAt: null,
    attributes: {
      city: 'Leuven', companyNumber: a.enterpriseIdentification.enterpriseNumber, contactEmail: '', country: 'Belgium', email: '', homepage: '', ibans: [], onboardingStatus: 'ONBOARDED', peppolReceiver: true,
      phoneNumber: '+3254321121', street: 'Street', streetNumber: '2', supportEmail: '', supportPhone: '', supportUrl: '', zip: '3000', ...a,
    },
  };
}

/** Belgian enterprise number from 8 digits: 97 − (n mod 97) as check digits. */
const kbo = (first8: number) => {
  const n = String(first8).padStart(8, '0');
  return n + String(97 - (first8 % 97)).padStart(2, '0');
};

export function seedSuppliers(seed: number, bulk: number): Map<string, SupplierRecord> {
  const rnd = createRandom(seed + 9);
  const out = new Map<string, SupplierRecord>();
  const add = (s: SupplierRecord) => out.set(s.id, s);
  add(supplier(BLOG_SUPPLIER_ID, T0, {
    companyNumber: '1234567890', enterpriseIdentification: { enterpriseNumber: '1234567890', vatNumber: 'BE1234567890' }, onboardingStatus: 'CREATED', peppolReceiver: false, supportPhone: '+3212345121',
    ibans: [{ id: 'bdfa52c6-2b50-4690-8b8d-24541a92c578', value: 'BE68539007547034' }, { id: 'dcb9f7c2-be2c-4b52-8d77-3ed2bc05c5f8', value: 'BE68539007547034' }],
    names: [{ id: '3dffba33-97af-4477-9fab-2d9d2dc31cee', value: 'Company' }, { id: '99e410cc-d6f0-4f36-8096-949741ea8ec3', value: 'Company S.A.' }],
  }));
  add(supplier(ONBOARDED_SUPPLIER_ID, T0 + 3600_000, {
    enterpriseIdentification: { enterpriseNumber: '0739484052', vatNumber: 'BE0739484052' }, city: 'Gent', street: 'Veldstraat', streetNumber: '12', zip: '9000',
    contactEmail: 'finance@brouwerij-sandbox.example', email: 'info@brouwerij-sandbox.example', homepage: 'https://brouwerij-sandbox.example', phoneNumber: '+3292345678',
    ibans: [{ id: 'c6a0d3f1-4b2e-4f7a-8d1c-0e9b5a7c3d21', value: 'BE71096123456769' }], names: [{ id: 'a1f3c5e7-9b2d-4e6f-8a0c-1d3e5f7a9b2c', value: 'Brouwerij Sandbox BV' }],
  }));
  add(supplier(RECEIVER_SUPPLIER_ID, T0 + 7200_000, {
    enterpriseIdentification: { enterpriseNumber: '0840559537', vatNumber: 'BE0840559537' }, city: 'Brussel', street: 'Wetstraat', streetNumber: '1', zip: '1000',
    contactEmail: 'ap@test-receiver.example', email: 'info@test-receiver.example', homepage: 'https://test-receiver.example', phoneNumber: '+3221234567',
    ibans: [{ id: 'f0e1d2c3-b4a5-4968-8776-655443322110', value: 'BE68539007547034' }], names: [{ id: '0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d', value: 'Peppol Test Receiver NV' }],
  }));
  for (let i = 0; i < bulk; i++) {
    const number = kbo(20_000_000 + i * 7919);
    add(supplier(rnd.uuid(), T0 + (i + 3) * 60_000, {
      enterpriseIdentification: { enterpriseNumber: number, vatNumber: `BE${number}` }, onboardingStatus: rnd.chance(0.8) ? 'ONBOARDED' : 'CREATED', peppolReceiver: rnd.chance(0.5),
      contactEmail: `contact${i}@supplier.example`, email: `info${i}@supplier.example`, names: [{ id: rnd.uuid(), value: `${rnd.pick(['Bakkerij', 'Garage', 'Drukkerij', 'Atelier', 'Apotheek'])} ${i} BV` }],
    }));
  }
  return out;
}

/** Documents already waiting for the receiving supplier when the sandbox starts. */
export function seedInbound(seed: number, count = 3): InboundRecord[] {
  const rnd = createRandom(seed + 11);
  return Array.from({ length: count }, (_, i) => i + 1).map((n) => ({
    id: rnd.uuid(),
    supplierId: RECEIVER_SUPPLIER_ID,
    createdAt: T0 + n * 86_400_000,
    transmissionId: rnd.uuid(),
    outboundId: null,
    businessStatuses: [],
    xml: writeUbl({
      kind: 'Invoice', number: `SUP-2025-${String(n).padStart(4, '0')}`, issueDate: new Date(T0 + n * 86_400_000).toISOString().slice(0, 10), dueDate: null, currency: 'EUR', buyerReference: `PO-${n}`, paymentId: null,
      supplier: { name: 'Brouwerij Sandbox BV', identifier: '0208:0739484052', vat: 'BE0739484052', country: 'BE' },
      customer: { name: 'Peppol Test Receiver NV', identifier: '0208:0840559537', country: 'BE' },
      lines: [{ id: '1', name: 'Vat bier', quantity: String(n), unitCode: 'C62', unitPrice: '100.00', lineTotal: `${n * 100}.00`, taxPercent: '21', taxCategory: 'S' }],
      taxExclusive: `${n * 100}.00`, tax: `${n * 21}.00`, payable: `${n * 121}.00`,
    }),
  }));
}
