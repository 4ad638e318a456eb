import type { SandboxServer } from '../../server.js';
import { findGroup, transactionsFor } from '../catalog.js';
import { invalid, notFound, param, required, unprocessable } from '../errors.js';
import { canonicalKey, canonicalType, type PartyRecord } from '../parties.js';

export const BATCH_LIMIT = 120;

/** GET /parties/{id}, GET /parties/{id}/transactions and the batch capability query. */
export function registerPartyRoutes(server: SandboxServer, parties: Map<string, PartyRecord>) {
  /** Unknown identifiers answer PendingLookup once, then NoRecordFound; seeded "pendingFirst" parties then answer Ready. */
  const looked = new Set<string>();

  server.route('GET /parties/:id', (req) => {
    const key = canonicalKey(req.params.id!);
    if (!key) return unprocessable(`Invalid identifier type in '${req.params.id}'`);
    const p = parties.get(key);
    return p ? { status: 200, body: { identifier: p.identifier, name: p.name } } : notFound('Party not found.');
  });

  server.route('GET /parties/:id/transactions', (req) => {
    const key = canonicalKey(req.params.id!);
    if (!key) return unprocessable(`Invalid identifier type in '${req.params.id}'`);
    const action = param(req.query, 'action');
    if (!action) return required('action');
    const group = findGroup(action);
    if (!group) return unprocessable(`Could not find transaction group '${action}'`);
    const includeAll = (param(req.query, 'includeAll') ?? 'true').toLowerCase() !== 'false';
    const p = parties.get(key);
    return { status: 200, body: p ? transactionsFor(group, p.profiles, includeAll) : [] };
  });

  server.route('POST /parties/transactions', (req) => {
    const action = param(req.query, 'action');
    const idType = param(req.query, 'idType');
    if (!action || !idType) return required(...(!action ? ['action'] : []), ...(!idType ? ['idType'] : []));
    const group = findGroup(action);
    if (!group) return unprocessable(`Could not find transaction group '${action}'`);
    const type = canonicalType(idType);
    if (!type) return unprocessable(`Invalid identifier type '${idType}'`);
    let ids: unknown;
    try {
      ids = JSON.parse(req.body.toString('utf8'));
    } catch {
      return invalid({ '': ['Bad or missing payload.'] });
    }
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > BATCH_LIMIT || !ids.every((i) => typeof i === 'string')) {
      return invalid({ '': ['Bad or missing payload.'] });
    }
    const body = (ids as string[]).map((id) => {
      const key = `${type}:${id.trim().toUpperCase()}`;
      const p = parties.get(key);
      const first = !looked.has(key);
      looked.add(key);
      const base = { identifierType: idType, identifier: id };
      if (first && (!p || p.pendingFirst)) return { ...base, status: 'PendingLookup', result: [] };
      const result = p ? transactionsFor(group, p.profiles, true) : [];
      return { ...base, status: result.length ? 'Ready' : 'NoRecordFound', result };
    });
    return { status: 200, body };
  });
}
