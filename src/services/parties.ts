import { usableConnections } from '../auth/access.js';
import { encodeGlobalId, type GlobalId, type SourceName } from '../domain/globalId.js';
import { companyIdentifiers, explainIdentifier, parsePartyIdentifier, type ParticipantIdModel } from '../domain/identifiers.js';
import { InvalidInputError } from '../domain/inputError.js';
import type { CapabilityLookupModel, DocumentTypeName, PartyModel, PeppolSupplierModel } from '../domain/models.js';
import { quote } from '../domain/quote.js';
import { lookupCapabilities } from '../loaders/capabilities.js';
import { runtimesOf } from '../sources/registry.js';
import type { PartiesCapability, PartyFacts } from '../sources/types.js';
import { capabilityFor } from './access.js';
import type { RequestContext } from './context.js';
import { AccessError } from './errors.js';

/**
 * Parties: one company whatever its spelling, with what each source knows of it. Sources are asked
 * only for the fields a query selects (a capability check over 1,000 parties costs no name lookups),
 * through the caller's first usable connection of each source, once per operation and party.
 */

/** Each source that knows parties, with the connection a question that names none goes to. */
function partySources(ctx: RequestContext): { source: SourceName; parties: PartiesCapability }[] {
  return runtimesOf(ctx.upstreams).flatMap((r) => {
    const name = usableConnections(ctx.caller, ctx.upstreams, r.source)[0];
    const parties = name ? r.connection(name)?.capabilities.parties : undefined;
    return parties ? [{ source: r.source, parties }] : [];
  });
}

export function parseIdentifier(identifier: string, field: string[]): ParticipantIdModel[] {
  const ids = parsePartyIdentifier(identifier);
  if (!ids) throw new InvalidInputError(`${quote(identifier)} is not a party identifier: ${explainIdentifier(identifier)}.`, field);
  return ids;
}

/** A party from its identifiers; its ID is the identifier, so one company has one ID. */
export function partyOf(ctx: RequestContext, ids: ParticipantIdModel[]): PartyModel {
  const primary = ids[0]!;
  const kbo = ids.find((i) => i.scheme === '0208')?.value ?? null;
  // The first source that knows parties names the ID (the connection part only says where it was looked up).
  const first = runtimesOf(ctx.upstreams).find((r) => r.connections().some((c) => c.capabilities.parties));
  return {
    id: encodeGlobalId({ type: 'Party', source: first?.source ?? 'MAPI', connection: first?.connections()[0]?.name ?? 'none', local: primary.iso6523 }),
    name: null,
    identifiers: ids,
    enterpriseNumber: kbo,
    vatNumber: kbo ? `BE${kbo}` : (ids.find((i) => i.scheme === '9925')?.value ?? null),
    address: null,
    email: null,
    bankAccounts: [],
    sources: [],
  };
}

/** A party by global ID: an identifier-based ID, or one a source issued for its own record. */
export async function getParty(ctx: RequestContext, id: GlobalId): Promise<PartyModel | null> {
  if (id.type !== 'Party') return null;
  const ids = parsePartyIdentifier(id.local);
  if (ids) return partyOf(ctx, ids);
  const parties = capabilityFor(ctx, 'parties', id.source, id.connection).capability;
  return parties.get ? parties.get(id.local) : null;
}

async function factsFrom(ctx: RequestContext, party: PartyModel, stopAt?: (f: PartyFacts) => boolean): Promise<{ source: SourceName; facts: PartyFacts }[]> {
  const out: { source: SourceName; facts: PartyFacts }[] = [];
  for (const s of partySources(ctx)) {
    const facts = await s.parties.facts(party);
    if (!facts) continue;
    out.push({ source: s.source, facts });
    if (stopAt?.(facts)) break;
  }
  return out;
}

const firstFact = async <K extends keyof PartyFacts>(ctx: RequestContext, party: PartyModel, key: K): Promise<PartyFacts[K] | null> => {
  const found = await factsFrom(ctx, party, (f) => Boolean(f[key]) && (!Array.isArray(f[key]) || (f[key] as unknown[]).length > 0));
  for (const f of found) if (f.facts[key] && (!Array.isArray(f.facts[key]) || (f.facts[key] as unknown[]).length > 0)) return f.facts[key];
  return null;
};

export const partyName = async (ctx: RequestContext, party: PartyModel) => party.name ?? (await firstFact(ctx, party, 'name'));
export const partyEmail = async (ctx: RequestContext, party: PartyModel) => party.email ?? (await firstFact(ctx, party, 'email'));
export const partyAddress = async (ctx: RequestContext, party: PartyModel) => party.address ?? (await firstFact(ctx, party, 'address'));
export const partyBankAccounts = async (ctx: RequestContext, party: PartyModel) => (party.bankAccounts.length ? party.bankAccounts : ((await firstFact(ctx, party, 'bankAccounts')) ?? []));
export const partySourcesOf = async (ctx: RequestContext, party: PartyModel): Promise<SourceName[]> => {
  const known = await Promise.all(partySources(ctx).map(async (s) => ((await s.parties.knows(party)) ? [s.source] : [])));
  return [...new Set([...party.sources, ...known.flat()])];
};

export function partyCapabilities(ctx: RequestContext, party: PartyModel, documentType: DocumentTypeName, vatFallback: boolean): Promise<CapabilityLookupModel> {
  if (ctx.loaders.capabilityRefusal) throw new AccessError(ctx.loaders.capabilityRefusal);
  return lookupCapabilities(ctx.loaders.capabilities, party.identifiers, documentType, vatFallback);
}

/** Searches the parties of the source that offers search (or the one named), on the connection named or the caller's first. */
export async function searchParties(ctx: RequestContext, query: string | null | undefined, source: SourceName | null | undefined, first: number, after: string | null, connection: string | null | undefined) {
  const searchable = runtimesOf(ctx.upstreams).filter((r) => (!source || r.source === source) && r.connections().some((c) => c.capabilities.parties?.search));
  if (searchable.length === 0) throw new InvalidInputError(source ? `Party search is not offered for ${source}.` : 'No source on this gateway offers party search.', ['source']);
  const runtime = searchable[0]!;
  const name = connection ?? usableConnections(ctx.caller, ctx.upstreams, runtime.source)[0];
  if (!name) throw new AccessError({ ok: false, code: 'FORBIDDEN', message: `This caller may use no ${runtime.source} connection.` });
  const parties = capabilityFor(ctx, 'parties', runtime.source, name, 'read', ['connection']).capability;
  return parties.search!(query ?? null, first, after);
}

/** A supplier record's company as a party, under its identifiers (one company, one ID). */
export function supplierParty(ctx: RequestContext, s: PeppolSupplierModel): PartyModel | null {
  const ids = companyIdentifiers(s.enterpriseNumber, s.vatNumber);
  return ids.length ? partyOf(ctx, ids) : null;
}
