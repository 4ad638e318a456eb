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
