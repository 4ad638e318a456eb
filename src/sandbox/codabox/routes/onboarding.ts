import { randomBytes } from 'node:crypto';
import { ALL_FORMATS } from '../seed.js';
import { OUTBOX_ROUTE, detail, type CodaboxState, type User } from '../state.js';

/** Claiming credentials once from a token, asking CodaBox to mail one, and the sandbox's own outbox of mailed tokens. */
export function registerOnboardingRoutes(state: CodaboxState): void {
  const { server, users, tokens, mailbox, mailedCount, pendingClaims } = state;
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
      state.onMail?.({ vat, email: 'email' in c ? c.email : null, token });
      return { status: 201, body: { vat, email: 'email' in c ? obfuscate(c.email) : null } };
    });
  }


  // Sandbox only: what CodaBox would have e-mailed, newest token per VAT.
  server.route(OUTBOX_ROUTE, () => ({ status: 200, body: [...mailbox].map(([vat, token]) => ({ vat, token })) }));

}
