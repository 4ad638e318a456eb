import type { SandboxResponse } from '../../server.js';
import { BANKS, SOCIAL_WELFARE_OFFICES, type ClientRecord, type FiduciaryRecord } from '../parties.js';
import { search } from '../search.js';
import { detail, type CodaboxState, type User } from '../state.js';

/** Fiduciaries, clients, banks and social welfare offices, and their searches. */
export function registerDirectoryRoutes(state: CodaboxState): void {
  const { server, user, clients, fiduciaries } = state;
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

}
