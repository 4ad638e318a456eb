import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transport } from '../../src/http/index.js';
import { sourceDeps as deps } from '../helpers/sourceDeps.js';
import { SOURCES } from '../../src/sources/registry.js';
import type { Capabilities, Connection, SandboxSettings } from '../../src/sources/types.js';
import type { SandboxServer } from '../../src/sandbox/server.js';
import type { Page } from '../../src/domain/page.js';
import { startInformatSandbox } from '../../src/sandbox/informat/index.js';
import { MAPI_SANDBOX_USERS, startMapiSandbox } from '../../src/sandbox/mapi/index.js';
import { startCodaboxSandbox } from '../../src/sandbox/codabox/index.js';
import { startIbanitySandbox } from '../../src/sandbox/ibanity/index.js';

/**
 * One contract, written once, run against every source of the registry and its simulator, the way
 * Apollo Server's integration suite runs against every integration: through the source's own
 * `connect()` and its unified capabilities, over real sockets. What a fifth source must add is a
 * fixture below: how to reach its simulator's server, and one paged read.
 */

interface Fixture {
  /** The simulator's server, for fault injection and its call log. */
  server(): SandboxServer;
  /** The route key of the one upstream request `page` makes. */
  route: string;
  /** A page of `first` items after `after`, through the connection's capabilities. */
  page(caps: Capabilities, first: number, after: string | null): Promise<{ ids: string[]; endCursor: string | null; hasNextPage: boolean }>;
  /** The source's settings with a wrong password or secret. */
  wrongCredentials(cfg: any): any;
}

const servers: Record<string, SandboxServer> = {};

/** What the contract reads of any page: its items' IDs and where it goes on. */
const summary = (p: Page<{ id: string }>) => ({ ids: p.edges.map((e) => e.node.id), endCursor: p.pageInfo.endCursor, hasNextPage: p.pageInfo.hasNextPage });

const FIXTURES: Record<string, Fixture> = {
  INFORMAT: {
    server: () => servers.INFORMAT!,
    route: 'POST /graphql',
    page: async (c, first, after) => summary(await c.invoices!.list({ schoolYear: '2020-21' }, { id: {} }, first, after)),
    wrongCredentials: (cfg) => ({ ...cfg, clientSecret: 'not-the-secret' }),
  },
  MAPI: {
    server: () => servers.MAPI!,
    route: 'GET /messages',
    page: async (c, first, after) => summary(await c.messages!.list(null, first, after)),
    wrongCredentials: (cfg) => ({ ...cfg, password: 'not-the-password' }),
  },
  IBANITY: {
    server: () => servers.IBANITY!,
    route: 'GET /einvoicing/peppol/inbound-documents',
    page: async (c, first, after) => summary(await c.messages!.list({ direction: 'INBOUND' }, first, after)),
    wrongCredentials: (cfg) => ({ ...cfg, clientSecret: 'not-the-secret' }),
  },
  CODABOX: {
    server: () => servers.CODABOX!,
    route: 'GET /search/clients/',
    page: async (c, first, after) => summary(await c.parties!.search!(null, first, after)),
    wrongCredentials: (cfg) => ({ ...cfg, connection: { ...cfg.connection, password: 'not-the-password' } }),
  },
};

const SETTINGS: SandboxSettings = { seed: 42, latencyMs: 0, invoicesPerGroup: 20, pdfDelayMs: 10, tokenTtlSeconds: 3600, mapiParties: 100, ibanityStepMs: 50, dataDir: '' };

beforeAll(async () => {
  // The simulators the sources' own `sandbox()` would start, kept at hand for fault injection.
  const informat = await startInformatSandbox({ invoicesPerGroup: SETTINGS.invoicesPerGroup });
  const mapi = await startMapiSandbox({ bulkParties: SETTINGS.mapiParties, bulkMessages: 300 });
  const codabox = await startCodaboxSandbox({ bulkEntries: 50 });
  const ibanity = await startIbanitySandbox({ bulkSuppliers: 10, inboundDocuments: 12 });
  servers.IBANITY = ibanity.server;
  configs.IBANITY = { apiUrl: ibanity.url, clientId: ibanity.application.clientId, clientSecret: ibanity.application.clientSecret, tls: { cert: ibanity.pki.client.certPem, key: ibanity.pki.client.keyPem, ca: ibanity.pki.caPem }, suppliers: [{ name: 'receiver', supplierId: ibanity.suppliers.receiver }], searchConcurrency: 4, lookbackDays: 6 };
  closers.push(() => ibanity.close());
  servers.INFORMAT = informat.api;
  servers.MAPI = mapi.server;
  servers.CODABOX = codabox.server;
  configs.INFORMAT = { apiUrl: informat.apiUrl, tokenUrl: `${informat.identityUrl}/connect/token`, clientId: informat.client.clientId, clientSecret: informat.client.clientSecret, accessGroups: informat.accessGroups.slice(0, 1), scopePrefix: 'api_informat_invoices.invoices.read.' };
  const user = MAPI_SANDBOX_USERS[0]!;
  configs.MAPI = { name: 'mapi', baseUrl: mapi.url, username: user.username, password: user.password, batchCapabilitiesPath: '/parties/transactions', fallbackEmail: null };
  const accountant = codabox.users.find((u) => u.kind === 'fiduciary')!;
  configs.CODABOX = { baseUrl: codabox.url, softwareKey: codabox.softwareKey, connection: { name: 'codabox', username: accountant.username, password: accountant.password }, more: [] };
  closers.push(() => informat.close(), () => mapi.close(), () => codabox.close());
});
const configs: Record<string, unknown> = {};
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of closers) await c();
});

describe.each(SOURCES.map((s) => [s.name, s] as const))('source contract: %s', (name, source) => {
  const fixture = FIXTURES[name]!;
  const transports: Transport[] = [];
  const open = async (cfg: unknown): Promise<Connection<unknown>> => (await source.connect(cfg as never, deps(name, transports))).connections()[0]!;
  afterAll(async () => Promise.all(transports.map((t) => t.close())));

  it('has a fixture, and a simulator its sandbox() loads', async () => {
    expect(fixture).toBeDefined();
    expect(typeof (await source.sandbox!()).start).toBe('function');
  });

  it('pages: two pages, no item twice, the second after the first', async () => {
    const conn = await open(configs[name]);
    const one = await fixture.page(conn.capabilities, 2, null);
    expect(one.ids).toHaveLength(2);
    expect(one.hasNextPage).toBe(true);
    const two = await fixture.page(conn.capabilities, 2, one.endCursor);
    expect(two.ids).toHaveLength(2);
    expect(two.ids.filter((id) => one.ids.includes(id))).toEqual([]);
  });

  it('answers its connection ping', async () => {
    await expect((await open(configs[name])).ping()).resolves.toBeUndefined();
  });

  it('refuses wrong credentials as UPSTREAM_REJECTED', async () => {
    const conn = await open(fixture.wrongCredentials(configs[name]));
    await expect(fixture.page(conn.capabilities, 1, null)).rejects.toMatchObject({ code: 'UPSTREAM_REJECTED', source: expect.stringContaining(name) });
  });

  it('maps an upstream 500 to UPSTREAM_UNAVAILABLE, a hang to UPSTREAM_TIMEOUT and a malformed body to UPSTREAM_REJECTED', async () => {
    const conn = await open(configs[name]);
    await fixture.page(conn.capabilities, 1, null); // tokens and the like first
    fixture.server().inject(fixture.route, { status: 500, body: 'boom', times: 1 });
    await expect(fixture.page(conn.capabilities, 1, null)).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: name });
    fixture.server().inject(fixture.route, { hang: true, times: 1 });
    await expect(fixture.page(conn.capabilities, 1, null)).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT', source: name });
    fixture.server().inject(fixture.route, { malformed: true, times: 1 });
    await expect(fixture.page(conn.capabilities, 1, null)).rejects.toMatchObject({ code: 'UPSTREAM_REJECTED', source: name });
  });

  it('opens its circuit after repeated failures: the next call fails at once and never reaches the upstream', async () => {
    const conn = await open(configs[name]);
    await fixture.page(conn.capabilities, 1, null);
    fixture.server().inject(fixture.route, { status: 503, times: 3 });
    for (let i = 0; i < 3; i++) await expect(fixture.page(conn.capabilities, 1, null)).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    const before = fixture.server().calls(fixture.route).length;
    await expect(fixture.page(conn.capabilities, 1, null)).rejects.toThrow(/circuit open/);
    expect(fixture.server().calls(fixture.route).length).toBe(before);
  });
});
