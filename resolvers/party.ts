import type { GatewayContext } from '../src/context.js';
import { encodeGlobalId } from '../src/domain/globalId.js';
import { normalizeEnterpriseNumber, parsePartyIdentifier, type ParticipantIdModel } from '../src/domain/identifiers.js';
import type { PartyModel } from '../src/domain/models.js';
import type { Resolvers } from '../src/generated/graphql.js';
import { badInput, forbidden } from '../src/server/errors.js';
import { connectionFor, deniedError } from './access.js';
import { quote } from '../src/domain/quote.js';
import { decodeCursor, encodeCursor, InvalidCursorError } from '../src/domain/cursor.js';
import { createHash } from 'node:crypto';
import { defaultCodabox, type CodaboxKnown } from '../src/loaders/index.js';
import { lookupCapabilities } from '../src/loaders/capabilities.js';
import { settle } from '../src/loaders/batching.js';
import { clientDetails, toClientParty } from '../src/sources/codabox/index.js';

/**
 * Builds a party from its identifiers. What MAPI knows of it (name, sources) is fetched only when a
 * query selects those fields: a capability check over 1,000 parties must not cost 1,000 name lookups.
 */
export async function loadParty(ctx: GatewayContext, ids: ParticipantIdModel[]): Promise<PartyModel> {
  const primary = ids[0]!;
  const kbo = ids.find((i) => i.scheme === '0208')?.value ?? null;
  return {
    // The identifier is the party's identity; the connection part only says where it was looked up.
    id: encodeGlobalId({ type: 'Party', source: 'MAPI', connection: ctx.loaders.mapiConnection ?? 'none', local: primary.iso6523 }),
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

/** What CodaBox knows of a party: its client record (by origin, or by enterprise number), or a fiduciary's. */
async function codaboxView(ctx: GatewayContext, party: PartyModel): Promise<CodaboxKnown | null> {
  if (party.origin) return { kind: 'client', connection: party.origin.connection, id: party.origin.clientId, name: party.name ?? '' };
  if (!party.enterpriseNumber || !ctx.upstreams.sources.CODABOX) return null;
  return ctx.loaders.codaboxByKbo.load(party.enterpriseNumber);
}

async function codaboxDetails(ctx: GatewayContext, party: PartyModel) {
  const view = await codaboxView(ctx, party);
  if (!view) return null;
  if (view.kind === 'fiduciary') return clientDetails({ legal_entity: view.legalEntity });
  return clientDetails(await ctx.loaders.codaboxClients.load(`${view.connection}|${view.id}`));
}

/** What MAPI knows of a party; parties known only by name (a CodaBox client) cannot be looked up. */
const mapiView = (ctx: GatewayContext, party: PartyModel) =>
  ctx.loaders.mapiConnection && party.identifiers[0] ? ctx.loaders.mapiParties.load(party.identifiers[0].iso6523) : Promise.resolve(null);

function parse(identifier: string, field: string[]): ParticipantIdModel[] {
  const ids = parsePartyIdentifier(identifier);
  if (!ids) throw badInput(`${quote(identifier)} is not a party identifier (expected e.g. 0208:0840559537, BE0840559537 or KT:1111118899).`, field);
  return ids;
}

export const partyResolvers: Resolvers = {
  Query: {
    party: (_p, { identifier }, ctx) => loadParty(ctx, parse(identifier, ['identifier'])),
    parties: (_p, { identifiers }, ctx) =>
      Promise.all(
        identifiers.map((identifier, i) => settle(Promise.resolve().then(() => loadParty(ctx, parse(identifier, ['identifiers', String(i)]))))),
      ) as never,
    searchParties: async (_p, { query, source, first, after, connection }, ctx) => {
      if (source && source !== 'CODABOX') throw badInput('Party search is offered for CODABOX only.', ['source']);
      if (query && query.length > 200) throw badInput('query is at most 200 characters.', ['query']);
      const n = first ?? 20;
      if (n < 1 || n > 150) throw badInput('first must be between 1 and 150 (CodaBox pages hold at most 150).', ['first']);
      const conn = connection ? connectionFor(ctx, 'CODABOX', connection, 'read', ['connection']) : defaultCodabox(ctx.caller, ctx.upstreams, ctx.config);
      if (!conn) throw forbidden('This caller may use no CodaBox connection.');
      // The cursor is tied to the connection and query: a cursor of another search is refused.
      const list = `codabox-clients:${createHash('sha256').update(`${conn.name}|${query ?? ''}`).digest('hex').slice(0, 16)}`;
      const cursor = after ? decodeCursor(after, list) : null;
      if (after && !cursor) throw new InvalidCursorError();
      const offset = cursor ? Number(cursor.key[0]) : 0;
      // An enterprise number in any spelling (0840.559.537, BE 0840 559 537) is looked up as one, not as text.
      const kbo = query ? normalizeEnterpriseNumber(query) : null;
      const filter: Record<string, string> = kbo ? { enterprise_num: `BE${kbo}` } : query ? { search: query } : {};
      const page = await conn.client.searchClients({ ...filter, ordering: 'name,enterprise_num', limit: String(n), offset: String(offset) });
      const edges = page.results.map((c, i) => ({ cursor: encodeCursor({ list, key: [offset + i + 1] }), node: toClientParty(conn.name, c) }));
      return {
        edges,
        pageInfo: { hasNextPage: offset + page.results.length < page.count, hasPreviousPage: offset > 0, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
        totalCount: page.count,
      };
    },
  },
  Party: {
    name: async (party, _a, ctx) => party.name ?? (await mapiView(ctx, party))?.name ?? (await codaboxView(ctx, party))?.name ?? null,
    sources: async (party, _a, ctx) => {
      const [mapi, codabox] = await Promise.all([mapiView(ctx, party), codaboxView(ctx, party)]);
      return [...new Set([...party.sources, ...(mapi ? (['MAPI'] as const) : []), ...(codabox ? (['CODABOX'] as const) : [])])];
    },
    email: async (party, _a, ctx) => {
      if (party.email) return party.email;
      const view = await codaboxView(ctx, party);
      return view?.kind === 'fiduciary' ? view.email : null;
    },
    bankAccounts: async (party, _a, ctx) => (party.bankAccounts.length ? party.bankAccounts : ((await codaboxDetails(ctx, party))?.bankAccounts ?? [])),
    address: async (party, _a, ctx) => party.address ?? (await codaboxDetails(ctx, party))?.address ?? null,
    capabilities: (party, { documentType }, ctx) => {
      if (ctx.loaders.capabilityRefusal) throw deniedError(ctx.loaders.capabilityRefusal);
      return lookupCapabilities(ctx.loaders.capabilities, party.identifiers, documentType ?? 'INVOICE', ctx.config.capabilities.vatFallback);
    },
  },
};
