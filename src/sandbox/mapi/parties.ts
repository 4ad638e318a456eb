import { createRandom } from '../random.js';

export interface PartyRecord {
  /** Canonical `Type:Id` with ICD type (KT is stored as 0196). */
  key: string;
  /** How the party is shown: the document writes `KT:…`. */
  identifier: string;
  name: string;
  /** Registered receiving profiles (transactionKeyName prefixes), e.g. BISENUBL-3.0. */
  profiles: string[];
  /** The first batch lookup answers PendingLookup; later ones answer from `profiles`. */
  pendingFirst: boolean;
  /** Inbound copies start in pendingprocessing (an approval step) rather than pendingdelivery. */
  approvalStep: boolean;
}

const TYPE_ALIASES: Record<string, string> = { KT: '0196' };

/** `KT:1` and `0196:1` are one party; types compare case-insensitively. Null for an invalid type. */
export function canonicalType(type: string): string | null {
  const t = type.toUpperCase();
  if (TYPE_ALIASES[t]) return TYPE_ALIASES[t]!;
  return /^\d{4}$/.test(t) ? t : null;
}

export function canonicalKey(identifier: string): string | null {
  const i = identifier.indexOf(':');
  if (i <= 0) return null;
  const type = canonicalType(identifier.slice(0, i));
  const value = identifier.slice(i + 1).trim().toUpperCase();
  return type && value ? `${type}:${value}` : null;
}

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
