import { randomUUID } from 'node:crypto';
import { SandboxServer, type SandboxRequest } from '../server.js';
import { ALL_FORMATS, codaEntry, seedCodabox } from './seed.js';
import { seedParties } from './parties.js';
import { detail, OUTBOX_ROUTE, type CodaboxState, type User } from './state.js';
import { registerOnboardingRoutes } from './routes/onboarding.js';
import { registerDeliveryRoutes } from './routes/delivery.js';
import { registerDirectoryRoutes } from './routes/directory.js';
import { registerUploadRoutes } from './routes/upload.js';

export { OUTBOX_ROUTE };

export const SANDBOX_SOFTWARE_KEY = '08d09a20-1a94-4284-9305-375d46a02914';
/** A key CodaBox knows but has switched off. */
export const INACTIVE_SOFTWARE_KEY = '5b2a9d61-0000-4000-8000-00000000dead';


export interface CodaboxSandboxOptions {
  seed?: number;
  bulkEntries?: number;
  /** Generated clients besides the document's. @default 400 */
  bulkClients?: number;
  host?: string;
  port?: number;
  /** Called when the sandbox "mails" a credentials token to a client (CodaBox e-mails it for real). */
  onMail?: (mail: { vat: string; email: string | null; token: string }) => void;
}



/**
 * The CodaBox API v2 sandbox: X-Software-Company on every call, HTTP Basic (but for the credentials
 * claim), trailing-slash redirects, the document's pod-client and feeds, downloads and offsets.
 */
export async function startCodaboxSandbox(opts: CodaboxSandboxOptions = {}) {
  const server = new SandboxServer('codabox');
  const data = seedCodabox(opts.seed ?? 42, opts.bulkEntries ?? 2400);
  const users: User[] = [
    { username: 'fiduciary', password: 'fiduciary-sandbox-secret', active: true, kind: 'fiduciary', feedClients: [889, 890, 891], allowedFormats: ALL_FORMATS },
    // An invoicing software's client: one feed client, CODA only (with the CODA+ xml).
    { username: 'invoicing', password: 'invoicing-sandbox-secret', active: true, kind: 'invoicing', feedClients: [889], allowedFormats: { coda: ['cod', 'pdf', 'xml'], soda: [], purchase_invoice: [], sales_invoice: [], expense: [] } },
  ];
  const tokens = new Map<string, string>([['a19c62be748043449942c12712f42922', 'fiduciary']]);
  const mailbox = new Map<string, string>();
  const mailedCount = new Map<string, number>();
  const softwareKeys = new Map([[SANDBOX_SOFTWARE_KEY, true], [INACTIVE_SOFTWARE_KEY, false]]);
  const NO_BASIC = new Set(['GET /get-credentials/:token/', 'POST /request-access-token/get-document-software/', 'POST /request-access-token/invoicing-software/']);

  const pendingClaims = new Map<string, { vat: string; kind: 'invoicing' | 'client'; feedClient: number }>();

  // "If an url is not ending with a /, the request will be redirected to the same url with the / appended."
  server.preRoute = (_method, path, search) => (path.endsWith('/') ? null : { status: 301, headers: { location: `${path}/${search}` }, body: '' });

  const userOf = (req: SandboxRequest): User | 'invalid' | 'inactive' => {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(String(req.headers.authorization ?? ''));
    if (!m) return 'invalid';
    const [name, ...rest] = Buffer.from(m[1]!, 'base64').toString('utf8').split(':');
    const u = users.find((x) => x.username === name && x.password === rest.join(':'));
    return !u ? 'invalid' : u.active ? u : 'inactive';
  };
  server.guard = (req, routeKey) => {
    // The sandbox's own outbox is no CodaBox route: open, so a newcomer can read the mailed token.
    if (routeKey === OUTBOX_ROUTE) return null;
    const key = String(req.headers['x-software-company'] ?? '');
    if (!softwareKeys.get(key)) {
      if (routeKey.includes('get-document-software')) return detail(403, 'The software can not be found, is not active or does not have the permission to request access to get documents');
      if (routeKey.includes('invoicing-software')) return detail(403, 'The software can not be found, is not active or does not have the permission to request access to sales invoices');
      return detail(403, 'The software can not be found or is not active');
    }
    if (NO_BASIC.has(routeKey)) return null;
    const u = userOf(req);
    if (u === 'invalid') return detail(401, 'Invalid username/password.');
    if (u === 'inactive') return detail(401, 'User inactive or deleted.');
    return null;
  };
  const user = (req: SandboxRequest) => userOf(req) as User;

  const { fiduciaries, clients } = seedParties(opts.seed ?? 42, opts.bulkClients ?? 400);
  const state: CodaboxState = { server, data, clients, fiduciaries, users, user, tokens, mailbox, mailedCount, pendingClaims, onMail: opts.onMail };
  registerOnboardingRoutes(state);
  registerDeliveryRoutes(state);
  registerDirectoryRoutes(state);
  registerUploadRoutes(state);

  const url = await server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
  return {
    server,
    url,
    data,
    users,
    clients,
    fiduciaries,
    softwareKey: SANDBOX_SOFTWARE_KEY,
    /** Issues a new one-time credentials token for a user (as CodaBox support would). */
    issueToken: (username: string, token: string) => tokens.set(token, username),
    /** The last token mailed to a client, as the client would read it in its mailbox. */
    mailbox,
    /**
     * Delivers a new bank statement into a feed client's feed, as a bank does through CodaBox: CODA,
     * CODA+ XML and PDF of the same movements. Returns its feed index.
     */
    deliverStatement(feedClient: number, s: { iban: string; date: string; statement: number; movements: { amount: string; name: string; account: string; communication: string }[] }): string {
      const feed = data.feeds.get(feedClient);
      if (!feed) throw new Error(`no feed client ${feedClient}`);
      const index = randomUUID();
      const payments = s.movements.map((m, i) => ({ statement: s.statement, seq: i + 1, name: m.name, account: m.account, amount: m.amount, valueDate: s.date, communication: m.communication }));
      feed.download.push(codaEntry(index, { iban: s.iban, bank_id: 'GKCCBEBB', first: s.statement, last: s.statement, date: s.date, movements: payments.length, extension: null }, payments));
      return index;
    },
    /** Which formats of a document model a user may download (the pod-client's `allowed_formats`). */
    allowFormats(username: string, model: 'coda' | 'soda' | 'purchase_invoice' | 'sales_invoice', formats: string[]) {
      const u = users.find((x) => x.username === username);
      if (!u) throw new Error(`no user ${username}`);
      u.allowedFormats = { ...u.allowedFormats, [model]: formats };
    },
    close: () => server.close(),
  };
}

export type CodaboxSandbox = Awaited<ReturnType<typeof startCodaboxSandbox>>;
