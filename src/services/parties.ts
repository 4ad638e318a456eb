import { usableConnections } from '../auth/access.js';
import { encodeGlobalId, type GlobalId, type SourceName } from '../domain/globalId.js';
import { companyIdentifiers, explainIdentifier, parsePartyIdentifier, type ParticipantIdModel } from '../domain/identifiers.js';
import { InvalidInputError } from '../domain/inputError.js';
import type { CapabilityLookupModel, DocumentTypeName, PartyModel, PeppolSupplierModel } from '../domain/models.js';
import { quote } from '../domain/quote.js';
import { lookupCapabilities } from '../loaders/capabilities.js';
import { PARTY_AUTHORITY } from '../loaders/index.js';
import type { PartyKnowledge } from '../loaders/parties.js';
import { mergePages, type MergedPage } from '../domain/mergedPage.js';
import { runtimesOf } from '../sources/registry.js';
import type { PartiesCapability, PartyFacts } from '../sources/types.js';
import { capabilityFor, everyConnectionWith } from './access.js';
import { compareKeys } from '../domain/page.js';
import type { RequestContext } from './context.js';
import { AccessError } from './errors.js';

/**
 * Parties: one company whatever its spelling, with what each source knows of it. Sources are asked
 * only for the fields a query selects (a capability check over 1,000 parties costs no name lookups),
 * through the caller's first usable connection of each source, once per operation and party.
 */

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

/** What the sources know of a party; a field whose every source failed is an error, not an empty answer. */
async function knowledge(ctx: RequestContext, party: PartyModel): Promise<PartyKnowledge> {
  const k = await ctx.loaders.parties.load(party);
  if (k.found.length === 0 && k.failed.length > 0 && k.failed.length === ctx.loaders.partySources.length) throw k.failed[0]!.error;
  return k;
}

const present = (v: unknown) => v !== null && v !== undefined && (!Array.isArray(v) || v.length > 0);

/**
 * A field of a party: what the record itself holds, else what the source it came from knows (a
 * CodaBox search hit reads on as CodaBox's client), else the most authoritative source that has it
 * (PARTY_AUTHORITY). A party asked by identifier came from no source: authority decides every field.
 */
async function field<K extends keyof PartyFacts>(ctx: RequestContext, party: PartyModel, key: K): Promise<PartyFacts[K] | null> {
  if (present(party[key])) return party[key];
  const found = (await knowledge(ctx, party)).found;
  const ordered = [...found.filter((f) => party.sources.includes(f.source)), ...found.filter((f) => !party.sources.includes(f.source))];
  return ordered.find((f) => present(f.facts[key]))?.facts[key] ?? null;
}

export const partyName = (ctx: RequestContext, party: PartyModel) => field(ctx, party, 'name');
export const partyEmail = (ctx: RequestContext, party: PartyModel) => field(ctx, party, 'email');
export const partyAddress = (ctx: RequestContext, party: PartyModel) => field(ctx, party, 'address');
export const partyBankAccounts = async (ctx: RequestContext, party: PartyModel) => (await field(ctx, party, 'bankAccounts')) ?? [];
/** The sources that know the party, in registry order. */
export const partySourcesOf = async (ctx: RequestContext, party: PartyModel): Promise<SourceName[]> => {
  const known = new Set([...party.sources, ...(await knowledge(ctx, party)).found.map((f) => f.source)]);
  return runtimesOf(ctx.upstreams).map((r) => r.source).filter((s) => known.has(s));
};

export function partyCapabilities(ctx: RequestContext, party: PartyModel, documentType: DocumentTypeName, vatFallback: boolean): Promise<CapabilityLookupModel> {
  if (ctx.loaders.capabilityRefusal) throw new AccessError(ctx.loaders.capabilityRefusal);
  return lookupCapabilities(ctx.loaders.capabilities, party.identifiers, documentType, vatFallback);
}

/**
 * Searches parties. With a source or connection named, that source's own search (by name, its
 * paging and count). Without, every source that offers search on every connection the caller may
 * use, merged in enterprise-number order (parties without one first): a company two sources know
 * (one identifier in common) is one party, its fields from the most authoritative source
 * (PARTY_AUTHORITY), its identifiers and sources together.
 */
export async function searchParties(ctx: RequestContext, query: string | null | undefined, source: SourceName | null | undefined, first: number, after: string | null, connection: string | null | undefined): Promise<MergedPage<PartyModel>> {
  const searchable = everyConnectionWith(ctx, 'parties', source).filter((c) => c.capability.search);
  if (source || connection) {
    const runtime = runtimesOf(ctx.upstreams).find((r) => (!source || r.source === source) && r.connections().some((c) => c.capabilities.parties?.search));
    if (!runtime) throw new InvalidInputError(source ? `Party search is not offered for ${source}.` : 'No source on this gateway offers party search.', ['source']);
    const name = connection ?? usableConnections(ctx.caller, ctx.upstreams, runtime.source)[0];
    if (!name) throw new AccessError({ ok: false, code: 'FORBIDDEN', message: `This caller may use no ${runtime.source} connection.` });
    return { page: await capabilityFor(ctx, 'parties', runtime.source, name, 'read', ['connection']).capability.search!(query ?? null, first, after), failures: [] };
  }
  if (searchable.length === 0) {
    const offered = runtimesOf(ctx.upstreams).some((r) => r.connections().some((c) => c.capabilities.parties?.search));
    if (!offered) throw new InvalidInputError('No source on this gateway offers party search.', ['source']);
    throw new AccessError({ ok: false, code: 'FORBIDDEN', message: 'This caller may use no connection of a source that offers party search.' });
  }
  const { page, failures } = await mergePages(
    searchable.map((c) => ({ key: `${c.source}:${c.name}`, fetch: (n: number, a: string | null) => c.capability.search!(query ?? null, n, a, 'company') })),
    {
      list: 'all-parties',
      first,
      after,
      // By enterprise number: one company's records from several sources (named differently) meet.
      compare: (a, b) => compareKeys([a.enterpriseNumber ?? '', (a.name ?? '').toLowerCase()], [b.enterpriseNumber ?? '', (b.name ?? '').toLowerCase()]),
      same: (a, b) => a.identifiers.some((i) => b.identifiers.some((j) => i.iso6523.toUpperCase() === j.iso6523.toUpperCase())),
      combine: combineParties,
    },
  );
  // A company with identifiers answers under its one ID, whichever source found it.
  return { page: { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: e.node.identifiers.length ? { ...e.node, id: partyOf(ctx, e.node.identifiers).id } : e.node })) }, failures };
}

const authority = (p: PartyModel) => Math.min(...p.sources.map((s) => (PARTY_AUTHORITY.includes(s) ? PARTY_AUTHORITY.indexOf(s) : PARTY_AUTHORITY.length)));

/** One company two sources found: fields from the more authoritative, identifiers and sources of both. */
export function combineParties(a: PartyModel, b: PartyModel): PartyModel {
  const [first, second] = authority(b) < authority(a) ? [b, a] : [a, b];
  const pick = <K extends keyof PartyModel>(k: K) => (present(first[k]) ? first[k] : second[k]);
  const ids = [...first.identifiers, ...second.identifiers.filter((i) => !first.identifiers.some((j) => j.iso6523.toUpperCase() === i.iso6523.toUpperCase()))];
  return {
    ...first,
    name: pick('name'),
    enterpriseNumber: pick('enterpriseNumber'),
    vatNumber: pick('vatNumber'),
    address: pick('address'),
    email: pick('email'),
    bankAccounts: pick('bankAccounts'),
    identifiers: ids,
    sources: [...new Set([...first.sources, ...second.sources])],
    origin: first.origin ?? second.origin,
  };
}

/** A supplier record's company as a party, under its identifiers (one company, one ID). */
export function supplierParty(ctx: RequestContext, s: PeppolSupplierModel): PartyModel | null {
  const ids = companyIdentifiers(s.enterpriseNumber, s.vatNumber);
  return ids.length ? partyOf(ctx, ids) : null;
}
