import { randomBytes } from 'node:crypto';
import { SandboxServer, type SandboxRequest, type SandboxResponse } from '../server.js';
import { largePdf } from './files.js';
import { ALL_FORMATS, seedCodabox, type FeedEntry } from './seed.js';
import { BANKS, SOCIAL_WELFARE_OFFICES, seedParties, type ClientRecord, type FiduciaryRecord } from './parties.js';
import { search } from './search.js';
import { createUploadHandler } from './upload.js';

export const SANDBOX_SOFTWARE_KEY = '08d09a20-1a94-4284-9305-375d46a02914';
/** A key CodaBox knows but has switched off. */
export const INACTIVE_SOFTWARE_KEY = '5b2a9d61-0000-4000-8000-00000000dead';

interface User {
  username: string;
  password: string;
  active: boolean;
  kind: 'fiduciary' | 'invoicing' | 'client';
  /** For a client's user: the client's VAT number. */
  vat?: string;
  /** Feed clients this user's pod-client delivers; formats it may download. */
  feedClients: number[];
  allowedFormats: Record<string, string[]>;
}

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

/** The sandbox's outbox of mailed tokens (`GET <CodaBox sandbox URL>/sandbox/outbox/`); not a CodaBox route. */
export const OUTBOX_ROUTE = 'GET /sandbox/outbox/';

const detail = (status: number, message: string): SandboxResponse => ({ status, body: { detail: message } });
const CONTENT_TYPES: Record<string, string> = { cod: 'text/plain; charset=iso-8859-1', pdf: 'application/pdf', xml: 'application/xml' };

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

  /** Clients that may ask for a token, keyed by VAT; the document's sandbox examples refuse in their documented ways. */
  const CLIENTS: Record<string, { email: string; feedClient: number } | { field: 'vat' | 'non_field_errors'; message: string }> = {
    BE0010015348: { email: 'test.client@example.com', feedClient: 889 },
    BE0010012774: { email: 'boekhouding@client3.example.be', feedClient: 891 },
    BE0010016140: { field: 'non_field_errors', message: 'This client needs activation' },
    BE0010014952: { field: 'non_field_errors', message: "The client's fiduciary needs activation" },
    BE0010014655: { field: 'non_field_errors', message: "Client's email is missing" },
    BE0010014754: { field: 'non_field_errors', message: "Client's contact is missing" },
    BE0010015546: { field: 'non_field_errors', message: "Client's contact function is missing" },
    BE0010017724: { field: 'non_field_errors', message: 'This client has no Coda mandates.' },
  };
  const obfuscate = (email: string) => {
    const [local, domain] = email.split('@') as [string, string];
    return `${local.slice(0, 2)}...@...${domain.split('.').pop()}`;
  };
  let claims = 0;
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

  server.route('GET /get-credentials/:token/', (req) => {
    const token = req.params.token!;
    // Usable one time only.
    const claim = pendingClaims.get(token);
    if (claim) {
      pendingClaims.delete(token);
      const u: User = {
        username: `client-${claim.vat.toLowerCase()}-${++claims}`,
        password: randomBytes(18).toString('base64url'),
        active: true,
        kind: claim.kind,
        vat: claim.vat,
        feedClients: [claim.feedClient],
        allowedFormats: claim.kind === 'invoicing' ? { coda: ['cod', 'pdf', 'xml'], soda: [], purchase_invoice: [], sales_invoice: [], expense: [] } : ALL_FORMATS,
      };
      users.push(u);
      return { status: 200, body: { username: u.username, password: u.password } };
    }
    const username = tokens.get(token);
    if (!username) return detail(404, 'Not found.');
    tokens.delete(token);
    const u = users.find((x) => x.username === username)!;
    return { status: 200, body: { username: u.username, password: u.password } };
  });

  for (const [path, kind] of [['get-document-software', 'client'], ['invoicing-software', 'invoicing']] as const) {
    server.route(`POST /request-access-token/${path}/`, (req) => {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(req.body.toString('utf8') || '{}');
      } catch {
        return detail(400, 'JSON parse error');
      }
      const vat = typeof body.vat === 'string' ? body.vat : null;
      if (!vat) return { status: 400, body: { vat: ['This field is required.'] } };
      const c = CLIENTS[vat];
      if (!c) return { status: 400, body: { vat: [`Object with vat=${vat} does not exist`] } };
      if ('message' in c) {
        // "no Coda mandates" is a get-documents refusal only.
        if (!(kind === 'invoicing' && c.message.startsWith('This client has no Coda'))) return { status: 400, body: { [c.field]: [c.message] } };
      }
      const feedClient = 'feedClient' in c ? c.feedClient : 889;
      // A new request mails a new token and switches off the credentials claimed before.
      for (const u of users) if (u.vat === vat) u.active = false;
      // Predictable in the sandbox (`0010015348-1-sandbox`, then -2-, …), so that a walkthrough can name it.
      const mailed = (mailedCount.get(vat) ?? 0) + 1;
      mailedCount.set(vat, mailed);
      const token = `${vat.slice(2)}-${mailed}-sandbox`;
      pendingClaims.set(token, { vat, kind, feedClient });
      mailbox.set(vat, token);
      opts.onMail?.({ vat, email: 'email' in c ? c.email : null, token });
      return { status: 201, body: { vat, email: 'email' in c ? obfuscate(c.email) : null } };
    });
  }

  server.route('GET /delivery/pod-client/', (req) => {
    const u = user(req);
    return {
      status: 200,
      body: { id: u.kind === 'fiduciary' ? 9 : 10, fetch_delay: 120, allowed_formats: u.allowedFormats, feed_clients: u.feedClients.map((id) => data.feedClients.get(id)) },
    };
  });

  const entryJson = (e: FeedEntry) => ({ feed_index: e.feed_index, document_model: e.document_model, metadata: e.metadata });
  const visible = (u: User, e: FeedEntry) => (u.allowedFormats[e.document_model] ?? []).length > 0;

  for (const [path, kind] of [['feed', 'download'], ['redownload-feed', 'redownload']] as const) {
    const feedOf = (req: SandboxRequest): { id: number; entries: FeedEntry[] } | SandboxResponse => {
      const id = Number(req.params.id);
      if (!user(req).feedClients.includes(id) || !data.feeds.has(id)) return detail(404, 'Not found.');
      return { id, entries: data.feeds.get(id)![kind] };
    };
    server.route(`GET /delivery/${path}/:id/`, (req) => {
      const f = feedOf(req);
      if (!('entries' in f)) return f;
      return { status: 200, body: { id: f.id, type: kind, feed_entries: f.entries.filter((e) => visible(user(req), e)).map(entryJson) } };
    });
    server.route(`PUT /delivery/${path}/:id/`, (req) => {
      const f = feedOf(req);
      if (!('entries' in f)) return f;
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(req.body.toString('utf8') || '{}');
      } catch {
        return detail(400, 'JSON parse error');
      }
      if (!('feed_offset' in body)) return { status: 400, body: { feed_offset: ['This field is required.'] } };
      if (body.feed_offset === null) return { status: 400, body: { feed_offset: ['This field may not be null.'] } };
      const at = f.entries.findIndex((e) => e.feed_index === body.feed_offset);
      if (at < 0) return { status: 400, body: { feed_offset: ["Offset should be part of the feed's feed entries"] } };
      // Entries up to and including the offset are gone from the next feed request on.
      f.entries.splice(0, at + 1);
      return { status: 200, body: { id: f.id, feed_offset: body.feed_offset } };
    });
  }

  for (const kind of ['download', 'redownload'] as const) {
    server.route(`GET /delivery/${kind}/:index/:format/`, (req) => {
      const u = user(req);
      const format = req.params.format!;
      for (const [clientId, feed] of data.feeds) {
        const e = feed[kind].find((x) => x.feed_index === req.params.index);
        if (!e) continue;
        if (!u.feedClients.includes(clientId)) return detail(403, 'The current user is not allowed to access this file');
        if (!(u.allowedFormats[e.document_model] ?? []).includes(format)) return detail(403, `Format "${format}" not allowed`);
        if (format === 'pdf' && e.largePdfBytes) {
          return { status: 200, headers: { 'content-type': 'application/pdf', 'content-length': String(e.largePdfBytes) }, body: largePdf(e.largePdfBytes) };
        }
        const make = e.files[format as 'cod' | 'pdf' | 'xml'];
        if (!make) return detail(404, 'Not found.');
        const bytes = make();
        return { status: 200, headers: { 'content-type': CONTENT_TYPES[format] ?? 'application/octet-stream', 'content-length': String(bytes.length) }, body: bytes };
      }
      return detail(404, 'Not found.');
    });
  }

  const { fiduciaries, clients } = seedParties(opts.seed ?? 42, opts.bulkClients ?? 400);
  /** A fiduciary sees all clients; a client's user sees its own client only (the static invoicing user: Client X). */
  const clientsOf = (u: User): ClientRecord[] =>
    u.kind === 'fiduciary' ? clients : clients.filter((c) => c.legal_entity.enterprise_num === (u.vat ?? 'BE0840559537'));
  const fiduciariesOf = (u: User): FiduciaryRecord[] => {
    if (u.kind === 'fiduciary') return fiduciaries;
    const own = new Set(clientsOf(u).map((c) => c.fiduciary_id));
    return fiduciaries.filter((f) => own.has(f.id));
  };
  const clientJson = (c: ClientRecord) => ({
    ...c,
    purchase_invoice_email: 'no email', language: 'NA', exact_email: 'no email', coda_mandates: [], social_mandates: [], purchase_invoice_mandates: [],
    purchase_invoice_transmission_mandates: [], services: [], current_purchase_invoice_mandate_state: 'no state', delivery_mode: 'no mode',
    doccle_link_connect: 'no link', mycodabox_url: 'no url', zoomit_ibans: [], mycodabox_access_state: 'no state', purchase_invoice_service: [],
    is_purchase_invoice_delivery_via_push_blocked: false,
  });
  const byId = <T extends { id: string }>(list: T[], id: string, render: (x: T) => unknown = (x) => x): SandboxResponse => {
    const found = list.find((x) => x.id === id);
    return found ? { status: 200, body: render(found) } : detail(404, 'Not found.');
  };

  server.route('GET /fiduciaries/', (req) => ({ status: 200, body: fiduciariesOf(user(req)) }));
  server.route('GET /fiduciaries/:id/', (req) => byId(fiduciariesOf(user(req)), req.params.id!));
  server.route('GET /clients/', (req) => ({ status: 200, body: clientsOf(user(req)).map(clientJson) }));
  server.route('GET /clients/:id/', (req) => byId(clientsOf(user(req)), req.params.id!, clientJson));
  server.route('GET /banks/', () => ({ status: 200, body: BANKS }));
  server.route('GET /banks/:bic/', (req) => {
    const b = BANKS.find((x) => x.bank_id === req.params.bic);
    return b ? { status: 200, body: b } : detail(404, 'Not found.');
  });
  server.route('GET /social-welfare-offices/', () => ({ status: 200, body: SOCIAL_WELFARE_OFFICES }));
  server.route('GET /social-welfare-offices/:id/', (req) => byId(SOCIAL_WELFARE_OFFICES, req.params.id!));

  const brief = (c: ClientRecord) => ({ id: c.id, name: c.legal_entity.name, client_code: c.client_code, contact_email: c.contact_email, enterprise_num: c.legal_entity.enterprise_num });
  const fidBrief = (id: string) => {
    const f = fiduciaries.find((x) => x.id === id)!;
    return { id: f.id, name: f.name, enterprise_num: f.legal_entity.enterprise_num };
  };
  const codaMandates = clients.map((c) => ({
    id: `cm-${c.id}`, validity_start: c.state_modified_at.slice(0, 10), state: c.state, reason: null, twikey_url: null, state_modified_at: c.state_modified_at,
    has_teletransmission_pdf: true, bank_accounts: c.bank_accounts.map((b) => ({ iban: b.iban, state: 'active', state_modified_at: c.state_modified_at, type: b.type, subaccounts: b.subaccounts })),
    client: brief(c), fiduciary: fidBrief(c.fiduciary_id), bank: { name: BANKS.find((b) => b.bank_id === c.bank_accounts[0]!.bank_id)!.name, bank_id: c.bank_accounts[0]!.bank_id },
  }));
  const socialMandates = clients.filter((_, i) => i % 3 === 0).map((c, i) => ({
    id: `sm-${c.id}`, validity_start: c.state_modified_at.slice(0, 10), state: c.state, state_modified_at: c.state_modified_at,
    client: brief(c), fiduciary: fidBrief(c.fiduciary_id), social_welfare: { name: SOCIAL_WELFARE_OFFICES[i % 3]!.name, social_welfare_id: SOCIAL_WELFARE_OFFICES[i % 3]!.id },
  }));
  const visibleClientIds = (u: User) => new Set(clientsOf(u).map((c) => c.id));

  server.route('GET /search/clients/', (req) => {
    const page = search(
        {
          fields: { id: { get: (c) => c.id }, name: { get: (c) => c.legal_entity.name }, client_code: { get: (c) => c.client_code }, enterprise_num: { get: (c) => c.legal_entity.enterprise_num } },
          searchIn: [(c) => c.legal_entity.name, (c) => c.client_code, (c) => c.legal_entity.enterprise_num],
          ordering: { name: (c) => c.legal_entity.name, client_code: (c) => c.client_code, enterprise_num: (c) => c.legal_entity.enterprise_num },
        },
        clientsOf(user(req)),
        req.query,
        `${server.url}/search/clients/`,
      );
    // Search answers with the lighter representation of a client.
    return { status: 200, body: { ...page, results: page.results.map((c) => ({ ...brief(c), representative_name: c.legal_entity.representative_name, state: c.state, services: [], language: 'NA' })) } };
  });

  const mandateFields = (extra: Record<string, { get: (m: any) => unknown; datetime?: boolean }>) => ({
    id: { get: (m: any) => m.id },
    state: { get: (m: any) => m.state },
    state_modified_at: { get: (m: any) => m.state_modified_at, datetime: true },
    client__name: { get: (m: any) => m.client.name },
    client__client_code: { get: (m: any) => m.client.client_code },
    client__contact_email: { get: (m: any) => m.client.contact_email },
    client__enterprise_num: { get: (m: any) => m.client.enterprise_num },
    ...extra,
  });
  server.route('GET /search/coda-mandates/', (req) => ({
    status: 200,
    body: search(
      {
        fields: mandateFields({ bank__bank_id: { get: (m) => m.bank.bank_id }, bank__name: { get: (m) => m.bank.name }, bank_accounts__iban: { get: (m) => m.bank_accounts.map((b: any) => b.iban).join(' ') } }),
        searchIn: [(m) => m.client.name, (m) => m.client.client_code, (m) => m.client.enterprise_num, (m) => m.bank_accounts.map((b: any) => b.iban).join(' ')],
        ordering: { state_modified_at: (m) => m.state_modified_at, validity_start: (m) => m.validity_start, state: (m) => m.state, client__name: (m) => m.client.name, client__client_code: (m) => m.client.client_code, client__enterprise_num: (m) => m.client.enterprise_num, bank__bank_id: (m) => m.bank.bank_id, bank__name: (m) => m.bank.name },
      },
      codaMandates.filter((m) => visibleClientIds(user(req)).has(m.client.id)),
      req.query,
      `${server.url}/search/coda-mandates/`,
    ),
  }));
  server.route('GET /search/social-mandates/', (req) => ({
    status: 200,
    body: search(
      {
        fields: mandateFields({ social_welfare__social_welfare_id: { get: (m) => m.social_welfare.social_welfare_id }, social_welfare__name: { get: (m) => m.social_welfare.name } }),
        searchIn: [(m) => m.client.name, (m) => m.client.client_code, (m) => m.client.enterprise_num],
        ordering: { state_modified_at: (m) => m.state_modified_at, validity_start: (m) => m.validity_start, state: (m) => m.state, client__name: (m) => m.client.name, client__client_code: (m) => m.client.client_code, client__enterprise_num: (m) => m.client.enterprise_num },
      },
      socialMandates.filter((m) => visibleClientIds(user(req)).has(m.client.id)),
      req.query,
      `${server.url}/search/social-mandates/`,
    ),
  }));

  const upload = createUploadHandler();
  server.route('POST /ubl/sales-invoice/upload/', (req) => {
    const u = user(req);
    if (u.kind !== 'invoicing') return detail(403, 'This user does not have the permission to upload sale invoices');
    return upload(req, u.vat ?? 'BE0840559537');
  });

  // Sandbox only: what CodaBox would have e-mailed, newest token per VAT.
  server.route(OUTBOX_ROUTE, () => ({ status: 200, body: [...mailbox].map(([vat, token]) => ({ vat, token })) }));

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
    close: () => server.close(),
  };
}

export type CodaboxSandbox = Awaited<ReturnType<typeof startCodaboxSandbox>>;
