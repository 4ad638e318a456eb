import { createHash } from 'node:crypto';
import { decodeCursor, encodeCursor, InvalidCursorError } from '../../domain/cursor.js';
import { normalizeEnterpriseNumber } from '../../domain/identifiers.js';
import { InvalidInputError } from '../../domain/inputError.js';
import { perOperation } from '../../http/index.js';
import type { PartyModel } from '../../domain/models.js';
import type { PartiesCapability } from '../types.js';
import type { CodaboxClient } from './client.js';
import { clientDetails, toClientParty } from './map.js';

/**
 * CodaBox knows its clients (searched by enterprise number) and the connection's fiduciaries (one
 * list per operation), with their addresses, bank accounts and e-mail.
 */
export function codaboxParties(connection: string, client: CodaboxClient): PartiesCapability {
  const details = (id: string) => perOperation(`codabox-client|${connection}|${id}`, () => client.client(id));
  const fiduciaries = () => perOperation(`codabox-fiduciaries|${connection}`, () => client.fiduciaries());
  const byKbo = (kbo: string) =>
    perOperation(`codabox-kbo|${connection}|${kbo}`, async () => {
      const found = (await client.searchClients({ enterprise_num: `BE${kbo}`, limit: '1' })).results[0];
      if (found) return { kind: 'client' as const, id: found.id, name: found.name };
      const fid = (await fiduciaries()).find((f) => f.legal_entity.enterprise_num?.replace(/^BE/i, '') === kbo);
      return fid ? { kind: 'fiduciary' as const, fiduciary: fid } : null;
    });

  const known = async (party: PartyModel) =>
    party.origin?.source === 'CODABOX' && party.origin.connection === connection ? { kind: 'client' as const, id: party.origin.clientId, name: party.name ?? '' } : party.enterpriseNumber ? await byKbo(party.enterpriseNumber) : null;

  return {
    async facts(party) {
      const k = await known(party);
      if (!k) return null;
      if (k.kind === 'fiduciary') {
        const f = k.fiduciary;
        return { name: f.name, email: f.contact_email ?? null, ...clientDetails({ legal_entity: f.legal_entity }) };
      }
      return { name: k.name, email: null, ...clientDetails(await details(k.id)) };
    },
    async get(local) {
      if (!local.startsWith('client:')) return null;
      const c = await details(local.slice('client:'.length)).catch(() => null);
      return c ? toClientParty(connection, { id: c.id, name: c.legal_entity.name, enterprise_num: c.legal_entity.enterprise_num }) : null;
    },
    async search(query, first, after, order = 'name') {
      if (query && query.length > 200) throw new InvalidInputError('query is at most 200 characters.', ['query']);
      if (first < 1 || first > 150) throw new InvalidInputError('first must be between 1 and 150 (CodaBox pages hold at most 150).', ['first']);
      // The cursor is tied to the connection and query: a cursor of another search is refused.
      const list = `codabox-clients:${createHash('sha256').update(`${connection}|${order}|${query ?? ''}`).digest('hex').slice(0, 16)}`;
      const cursor = after ? decodeCursor(after, list) : null;
      if (after && !cursor) throw new InvalidCursorError();
      const offset = cursor ? Number(cursor.key[0]) : 0;
      // An enterprise number in any spelling (0840.559.537, BE 0840 559 537) is looked up as one, not as text.
      const kbo = query ? normalizeEnterpriseNumber(query) : null;
      const filter: Record<string, string> = kbo ? { enterprise_num: `BE${kbo}` } : query ? { search: query } : {};
      const page = await client.searchClients({ ...filter, ordering: order === 'company' ? 'enterprise_num,name' : 'name,enterprise_num', limit: String(first), offset: String(offset) });
      const edges = page.results.map((c, i) => ({ cursor: encodeCursor({ list, key: [offset + i + 1] }), node: toClientParty(connection, c) }));
      return {
        edges,
        pageInfo: { hasNextPage: offset + page.results.length < page.count, hasPreviousPage: offset > 0, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
        totalCount: page.count,
      };
    },
  };
}
