import { createRandom } from '../random.js';

/** Fiduciaries, clients (with bank accounts and mandates), banks and social welfare offices. */

export interface LegalEntity {
  name: string;
  enterprise_num: string;
  is_enterprise_num_validated: boolean;
  representative_name: string;
  representative_function: string;
  address: string;
  address2: string;
  zip: string;
  city: string;
}

export interface ClientRecord {
  id: string;
  fiduciary_id: string;
  legal_entity: LegalEntity;
  client_code: string;
  contact_email: string;
  state: string;
  state_modified_at: string;
  bank_accounts: { iban: string; coda_mandate_ids: string[]; bank_id: string; client_id: string; state: string; state_modified_at: string; type: string; subaccounts: { currency: string; extension: string | number }[] }[];
}

export interface FiduciaryRecord {
  id: string;
  name: string;
  legal_entity: LegalEntity;
  contact_name: string;
  contact_email: string;
  language: string;
  website_url: string;
}

export const BANKS = [
  { bank_id: 'CDBXBE33', abbreviation: 'CBX1', name: 'Coda bank 1', twikey_supported: true },
  { bank_id: 'CDBXBE34', abbreviation: 'CBX2', name: 'Coda bank 2', twikey_supported: false },
  { bank_id: 'GKCCBEBB', abbreviation: 'BEL', name: 'Belfius Bank', twikey_supported: true },
];

export const SOCIAL_WELFARE_OFFICES = [
  { id: 'group_s', name: 'Group S' },
  { id: 'securex', name: 'Securex' },
  { id: 'sd_worx', name: 'SD Worx' },
];

const entity = (name: string, kbo: string, city = 'Bruxelles', zip = '1000'): LegalEntity => ({
  name, enterprise_num: `BE${kbo}`, is_enterprise_num_validated: true, representative_name: 'Representative', representative_function: 'Director',
  address: `${name} address`, address2: '', zip, city,
});

function kbo(first8: number): string {
  const f = String(first8).padStart(8, '0');
  return f + String(97 - (Number(f) % 97)).padStart(2, '0');
}

const SYLLABLES = ['Bam', 'vo', 'lice', 'Big', 'pla', 'net', 'Zoo', 'mi', 'tex', 'Ka', 'ro', 'ma', 'Lu', 'din', 'ova', 'Sta', 'ria', 'Ve', 'lo', 'Qu'];

export function seedParties(seed: number, bulk: number): { fiduciaries: FiduciaryRecord[]; clients: ClientRecord[] } {
  const fiduciaries: FiduciaryRecord[] = [
    { id: '91f6fa60-23d6-48c0-b59f-5debf369dca0', name: 'fiduciary 1', legal_entity: entity('fiduciary 1', '0010013269'), contact_name: 'contact fiduciary 1', contact_email: 'contact@fiduciary1.com', language: 'fr', website_url: '' },
    { id: '2e200aea-2077-407d-820f-566de090c919', name: 'fiduciary 2', legal_entity: entity('fiduciary 2', '0010020395'), contact_name: 'contact fiduciary 2', contact_email: 'contact@fiduciary2.com', language: 'fr', website_url: '' },
  ];
  const clientX = 'a2cdc1bc-0d9d-430e-b226-338d31906d1f';
  const clients: ClientRecord[] = [
    {
      id: clientX,
      fiduciary_id: fiduciaries[0]!.id,
      legal_entity: { ...entity('Client X', '0840559537', 'Gent', '9000'), address: 'Kortrijksesteenweg 1', is_enterprise_num_validated: false },
      client_code: 'CODABOX-01',
      contact_email: 'no email',
      state: 'active',
      state_modified_at: '2015-12-07T13:54:27.659244',
      bank_accounts: [
        { iban: 'BE20977000017931', coda_mandate_ids: [], bank_id: 'CDBXBE33', client_id: clientX, state: 'draft', state_modified_at: '', type: 'current', subaccounts: [] },
        { iban: 'BE46977000017948', coda_mandate_ids: [], bank_id: 'CDBXBE33', client_id: clientX, state: 'draft', state_modified_at: '', type: 'savings', subaccounts: [{ currency: 'USD', extension: 234 }] },
      ],
    },
  ];
  const rnd = createRandom(seed + 11);
  for (let i = 0; i < bulk; i++) {
    const id = rnd.uuid();
    const name = rnd.pick(SYLLABLES) + rnd.pick(SYLLABLES).toLowerCase() + rnd.pick(SYLLABLES).toLowerCase();
    clients.push({
      id,
      fiduciary_id: fiduciaries[i % 2]!.id,
      legal_entity: entity(`${name} ${i + 1}`, kbo(100_200 + i * 37)),
      client_code: `CLI${i + 1}`,
      contact_email: `info@${name.toLowerCase()}.example.be`,
      state: rnd.chance(0.9) ? 'active' : 'inactive',
      state_modified_at: new Date(Date.parse('2016-01-01') + rnd.int(0, 3000) * 86_400_000).toISOString().slice(0, 19),
      bank_accounts: [
        { iban: `BE${String(10 + (i % 89)).padStart(2, '0')}9770000${String(i).padStart(5, '0')}`, coda_mandate_ids: [], bank_id: rnd.pick(BANKS).bank_id, client_id: id, state: 'active', state_modified_at: '', type: 'current', subaccounts: [] },
      ],
    });
  }
  return { fiduciaries, clients };
}
