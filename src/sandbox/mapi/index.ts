import { SandboxServer, type SandboxRequest } from '../server.js';
import { registerPartyRoutes } from './routes/parties.js';
import { seedMessages, seedParties } from './seed.js';
import { registerMessageRoutes } from './routes/messages.js';
import { registerTransactionRoutes, type ProcessingControl } from './routes/transactions.js';

export interface MapiSandboxOptions {
  seed?: number;
  /** Generated Belgian parties besides the document's four. @default 2400 */
  bulkParties?: number;
  /** Generated messages of Supplier Company besides the document's. @default 3000 */
  bulkMessages?: number;
  /** Delay before a closed outbound message is delivered. @default 200 */
  processingDelayMs?: number;
  now?: () => number;
  host?: string;
  port?: number;
}

export interface MapiUser {
  username: string;
  password: string;
  /** The party the user acts for (`Type:Id`, canonical). */
  party: string;
}

export const MAPI_SANDBOX_USERS: MapiUser[] = [
  { username: 'supplier', password: 'supplier-sandbox-secret', party: '0196:1111118899' },
  { username: 'customer', password: 'customer-sandbox-secret', party: '0196:2222228899' },
];

/** Routes MAPI serves without authentication. */
const ANONYMOUS = new Set(['GET /messages/display/:id']);

/**
 * The Unimaze MAPI sandbox: HTTP Basic on every call but the anonymous display, the document's
 * parties and capability lists, and generated parties.
 */
export async function startMapiSandbox(opts: MapiSandboxOptions = {}) {
  const server = new SandboxServer('mapi');
  const parties = seedParties(opts.seed ?? 42, opts.bulkParties ?? 2400);
  const users = MAPI_SANDBOX_USERS;

  const userOf = (req: SandboxRequest): MapiUser | null => {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(String(req.headers.authorization ?? ''));
    if (!m) return null;
    const [name, ...rest] = Buffer.from(m[1]!, 'base64').toString('utf8').split(':');
    return users.find((u) => u.username === name && u.password === rest.join(':')) ?? null;
  };
  server.guard = (req, routeKey) =>
    ANONYMOUS.has(routeKey) || userOf(req) ? null : { status: 401, headers: { 'www-authenticate': 'Basic realm="MAPI"' }, body: '' };

  const messages = seedMessages(parties, opts.seed ?? 42, opts.bulkMessages ?? 3000);
  const now = opts.now ?? Date.now;
  // The guard has already refused unauthenticated calls, so a user is always there.
  const ownerOf = (req: SandboxRequest) => userOf(req)?.party ?? '';
  const processing: ProcessingControl = { delayMs: opts.processingDelayMs ?? 200, faults: [] };
  // Transaction and creation routes first: their fixed paths must win over /messages/:id.
  registerTransactionRoutes(server, messages, parties, ownerOf, processing, now);
  registerMessageRoutes(server, messages, ownerOf, now);
  registerPartyRoutes(server, parties);
  const url = await server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
  return {
    server,
    url,
    parties,
    messages,
    users,
    /** Makes the next processed message (with this document number, when given) end 'retrying' or 'failed' instead of delivered. */
    failNextProcessing: (outcome: 'retrying' | 'failed', documentNo?: string) => processing.faults.push({ outcome, documentNo }),
    /** Identifiers (`0208:…`) of generated parties, in seed order. */
    belgianParties: () => [...parties.values()].filter((p) => p.key.startsWith('0208:')).map((p) => p.identifier),
    close: () => server.close(),
  };
}

export type MapiSandbox = Awaited<ReturnType<typeof startMapiSandbox>>;
