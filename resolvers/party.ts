import type { GatewayContext } from '../src/context.js';
import { encodeGlobalId } from '../src/domain/globalId.js';
import { parsePartyIdentifier, type ParticipantIdModel } from '../src/domain/identifiers.js';
import type { PartyModel } from '../src/domain/models.js';
import type { Resolvers } from '../src/generated/graphql.js';
import { badInput } from '../src/server/errors.js';

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

/** What MAPI knows of a party; parties known only by name (a CodaBox client) cannot be looked up. */
const mapiView = (ctx: GatewayContext, party: PartyModel) =>
  ctx.loaders.mapiConnection && party.identifiers[0] ? ctx.loaders.mapiParties.load(party.identifiers[0].iso6523) : Promise.resolve(null);

function parse(identifier: string, field: string[]): ParticipantIdModel[] {
  const ids = parsePartyIdentifier(identifier);
  if (!ids) throw badInput(`"${identifier}" is not a party identifier (expected e.g. 0208:0840559537, BE0840559537 or KT:1111118899).`, field);
  return ids;
}

export const partyResolvers: Resolvers = {
  Query: {
    party: (_p, { identifier }, ctx) => loadParty(ctx, parse(identifier, ['identifier'])),
    parties: (_p, { identifiers }, ctx) =>
      Promise.all(
        identifiers.map((identifier, i) =>
          Promise.resolve()
            .then(() => loadParty(ctx, parse(identifier, ['identifiers', String(i)])))
            .catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))),
        ),
      ) as never,
  },
  Party: {
    name: async (party, _a, ctx) => party.name ?? (await mapiView(ctx, party))?.name ?? null,
    sources: async (party, _a, ctx) => [...new Set([...party.sources, ...((await mapiView(ctx, party)) ? (['MAPI'] as const) : [])])],
    capabilities: (party, { documentType }, ctx) =>
      party.identifiers[0]
        ? ctx.loaders.capabilities.load({ identifier: party.identifiers[0], documentType: documentType ?? 'INVOICE' })
        : { status: 'NOT_FOUND', reachable: false, formats: [], checkedAt: null },
  },
};
