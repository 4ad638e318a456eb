import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transport } from '../../src/http/index.js';
import { startIbanitySandbox, IBANITY_VARIANT_VALUES, WEBHOOK_ISSUER, type IbanitySandbox } from '../../src/sandbox/ibanity/index.js';
import { writeUbl } from '../../src/sandbox/ubl.js';
import { connectIbanity, type IbanityRuntime } from '../../src/sources/ibanity/connect.js';
import type { IbanityConfig } from '../../src/sources/ibanity/config.js';
import type { IbanityClient } from '../../src/sources/ibanity/client.js';
import { sourceDeps } from '../helpers/sourceDeps.js';

/**
 * The vendors' own rules, held by the simulators so that a client that forgets them fails here
 * (issue "Right against the real services"). Each rule names the vendor line or public client it
 * comes from; where the vendor is silent, the client runs against every variant the simulator offers.
 * Everything goes through the sources' own connect() and clients, over real sockets.
 */

const DAY = 86_400_000;
let shift = 0;
let sb: IbanitySandbox;
let runtime: IbanityRuntime;
const transports: Transport[] = [];

const config = (over: Partial<IbanityConfig> = {}): IbanityConfig => ({
  apiUrl: sb.url,
  clientId: sb.application.clientId,
  clientSecret: sb.application.clientSecret,
  tls: { cert: sb.pki.client.certPem, key: sb.pki.client.keyPem, ca: sb.pki.caPem },
  suppliers: [{ name: 'sender', supplierId: sb.suppliers.onboarded }],
  searchConcurrency: 4,
  lookbackDays: 6,
  maxWindows: 13,
  applicationId: sb.webhookAudience,
  webhookIssuer: WEBHOOK_ISSUER,
  ...over,
});

const ubl = (kind: 'Invoice' | 'CreditNote', number: string) =>
  writeUbl({
    kind, number, issueDate: '2026-11-20', dueDate: null, currency: 'EUR', buyerReference: 'R', paymentId: null,
    supplier: { name: 'Brouwerij Sandbox BV', identifier: '0208:0739484052', vat: 'BE0739484052', country: 'BE' }, customer: { name: 'Receiver', identifier: '9925:BE0840559537', country: 'BE' },
    lines: [{ id: '1', name: 'x', quantity: '1', unitCode: 'C62', unitPrice: '10.00', lineTotal: '10.00', taxPercent: '21', taxCategory: 'S' }], taxExclusive: '10.00', tax: '2.10', payable: '12.10',
  });

/** Sends raw UBL as the supplier at `daysAgo` on the simulator's clock; the document stays `created` (no steps). */
async function sendAt(daysAgo: number, kind: 'invoice' | 'credit-note', number: string): Promise<string> {
  shift = -daysAgo * DAY;
  try {
    const client = runtime.connections()[0]!.client as IbanityClient;
    const r = await client.send(sb.suppliers.onboarded, kind, ubl(kind === 'invoice' ? 'Invoice' : 'CreditNote', number), `${number}.xml`);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.value.id;
  } finally {
    shift = 0;
  }
}

/** Runs `fn` with one simulator variant switched, and puts the default back whatever happens. */
async function withVariant<K extends keyof IbanitySandbox['variants']>(key: K, value: IbanitySandbox['variants'][K], fn: () => Promise<void>) {
  const before = sb.variants[key];
  sb.variants[key] = value;
  try {
    await fn();
  } finally {
    sb.variants[key] = before;
  }
}

const messages = () => runtime.connections()[0]!.capabilities.messages!;
const listOut = (filter: Record<string, unknown>) => messages().list({ direction: 'OUTBOUND', ...filter } as never, 100, null);

let old: string, recent: string, credit: string;

beforeAll(async () => {
  // A clock the test moves, and steps too long to ever happen: statusChangedAt stays the send time.
  sb = await startIbanitySandbox({ bulkSuppliers: 30, stepMs: 1e12, onboardingDelayMs: 10, now: () => Date.now() + shift, applicationId: '2b8f6c1e-0d4a-4f7b-9e3c-5a1d7f2e8c90' });
  runtime = await connectIbanity(config(), sourceDeps('IBANITY', transports));
  old = await sendAt(20, 'invoice', 'OLD-20');
  recent = await sendAt(3, 'invoice', 'RECENT-3');
  credit = await sendAt(1, 'credit-note', 'CREDIT-1');
});
afterAll(async () => {
  await Promise.all(transports.map((t) => t.close()));
  await sb?.close();
});

describe('Ibanity: the outbound list window (ibanity-dotnet PeppolOutboundDocuments: from within 7 days of to, to >= from)', () => {
  it('the simulator refuses a window over 7 days and one that ends before it starts, as Ibanity does', async () => {
    const client = runtime.connections()[0]!.client as IbanityClient;
    const now = Date.now();
    await expect(client.outboundList({ fromStatusChanged: new Date(now - 8 * DAY).toISOString(), toStatusChanged: new Date(now).toISOString(), supplierId: sb.suppliers.onboarded })).rejects.toMatchObject({ code: 'UPSTREAM_REJECTED', status: 400 });
    await expect(client.outboundList({ fromStatusChanged: new Date(now).toISOString(), toStatusChanged: new Date(now - DAY).toISOString(), supplierId: sb.suppliers.onboarded })).rejects.toMatchObject({ status: 400 });
  });

  it('a since 30 days back is read in windows of at most 7 days, merged newest first, nothing twice', async () => {
    const before = sb.server.calls('GET /einvoicing/peppol/documents').length;
    const page = await listOut({ since: new Date(Date.now() - 30 * DAY).toISOString() });
    const ids = page.edges.map((e) => e.node.uniqueId.split(':')[1]);
    expect(ids).toEqual([credit, recent, old]);
    expect(sb.server.calls('GET /einvoicing/peppol/documents').length - before).toBe(5);
  });

  it('until alone counts the lookback back from until, not from now', async () => {
    const page = await listOut({ until: new Date(Date.now() - 15 * DAY).toISOString() });
    expect(page.edges.map((e) => e.node.uniqueId.split(':')[1])).toEqual([old]);
  });

  it('a range past IBANITY_DOCUMENTS_MAX_WINDOWS is refused before any call, naming the option', async () => {
    const before = sb.server.calls('GET /einvoicing/peppol/documents').length;
    await expect(listOut({ since: new Date(Date.now() - 400 * DAY).toISOString() })).rejects.toThrow(/IBANITY_DOCUMENTS_MAX_WINDOWS/);
    expect(sb.server.calls('GET /einvoicing/peppol/documents').length).toBe(before);
  });
});

describe('Ibanity: list item types (Lino documents the generic peppolOutboundDocument)', () => {
  it.each(IBANITY_VARIANT_VALUES.outboundListType)('with %s types, a credit note is a credit note and its ID reads it back', async (variant) => {
    await withVariant('outboundListType', variant, async () => {
      const page = await listOut({ since: new Date(Date.now() - 5 * DAY).toISOString() });
      const byId = new Map(page.edges.map((e) => [e.node.uniqueId.split(':')[1], e.node]));
      expect(byId.get(credit)?.documentType).toBe('CREDIT_NOTE');
      expect(byId.get(recent)?.documentType).toBe('INVOICE');
      const again = await messages().get(byId.get(credit)!.uniqueId);
      expect(again?.documentNumber).toBe(null); // not sent through the gateway: no stored UBL, but found under its route
      expect(again?.documentType).toBe('CREDIT_NOTE');
    });
  });
});

describe('Ibanity: lists read to meta.paging.total (the blog post\'s list; LINO-UTILS saw pages of 20)', () => {
  it.each(IBANITY_VARIANT_VALUES.pageSizeCap)('with pages of at most %i, every supplier is read', async (cap) => {
    await withVariant('pageSizeCap', cap, async () => {
      const client = runtime.connections()[0]!.client as IbanityClient;
      expect((await client.suppliers()).length).toBe(sb.state.suppliers.size);
    });
  });

  it.each(IBANITY_VARIANT_VALUES.inboundOrder)('inbound documents listed %s first still page newest first', async (order) => {
    await withVariant('inboundOrder', order, async () => {
      const rt = await connectIbanity(config({ suppliers: [{ name: 'receiver', supplierId: sb.suppliers.receiver }] }), sourceDeps('IBANITY', transports));
      const page = await rt.connections()[0]!.capabilities.messages!.list({ direction: 'INBOUND' } as never, 50, null);
      const times = page.edges.map((e) => Date.parse(e.node.createdAt!));
      expect(times.length).toBeGreaterThan(1);
      expect([...times].sort((a, b) => b - a)).toEqual(times);
    });
  });
});

describe('Ibanity: offboarding (the answer to DELETE is undocumented; Lino accepts 200 and 204)', () => {
  it.each(IBANITY_VARIANT_VALUES.offboardAnswer)('answered %s, offboarding succeeds and shows the supplier OFFBOARDED', async (variant) => {
    await withVariant('offboardAnswer', variant, async () => {
      const suppliers = runtime.connections()[0]!.capabilities.suppliers!;
      const victim = [...sb.state.suppliers.values()].find((s) => s.attributes.onboardingStatus === 'ONBOARDED' && s.id !== sb.suppliers.onboarded && s.id !== sb.suppliers.receiver && s.id !== sb.suppliers.blog)!;
      const r = await suppliers.offboard(victim.id);
      expect(r).toMatchObject({ ok: true, supplier: { onboardingStatus: 'OFFBOARDED' } });
    });
  });
});

describe('Ibanity: webhook signatures name the application (aud) and Ibanity (iss), as ibanity-ruby and ibanity-java check', () => {
  const body = JSON.stringify({ data: { id: '0f9c2b1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b', type: 'eInvoicing.inbound.document.new', attributes: { createdAt: new Date().toISOString() } } });

  it('accepts a signature for IBANITY_APPLICATION_ID, refuses one for the client id or another issuer', async () => {
    expect(sb.webhookAudience).not.toBe(sb.application.clientId);
    const verify = async (sig: string) => runtime.webhooks!.verify({ signature: sig }, Buffer.from(body));
    expect(await verify(await sb.webhooks.sign(body))).toMatchObject({ ok: true });
    expect(await verify(await sb.webhooks.sign(body, { audience: sb.application.clientId }))).toMatchObject({ ok: false, reason: expect.stringMatching(/aud/) });
    expect(await verify(await sb.webhooks.sign(body, { issuer: 'https://evil.example' }))).toMatchObject({ ok: false, reason: expect.stringMatching(/iss/) });
  });
});

describe('Retry-After longer than the gateway waits (RFC 9110 §10.2.3)', () => {
  it('is not retried early: one call, and the error says when to come back', async () => {
    const rt = await connectIbanity(config(), sourceDeps('IBANITY', transports, { retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 50 } }));
    const client = rt.connections()[0]!.client as IbanityClient;
    await client.suppliers(); // the token first
    const before = sb.server.calls('GET /einvoicing/suppliers').length;
    sb.server.inject('GET /einvoicing/suppliers', { status: 503, headers: { 'retry-after': '120' }, times: 1 });
    await expect(client.suppliers()).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryAfterSeconds: 120 });
    expect(sb.server.calls('GET /einvoicing/suppliers').length - before).toBe(1);
    // A short Retry-After is honoured and retried.
    sb.server.inject('GET /einvoicing/suppliers', { status: 503, headers: { 'retry-after': '0' }, times: 1 });
    await expect(client.suppliers()).resolves.toHaveLength(sb.state.suppliers.size);
  });
});

describe('CodaBox: classic CODA files are single-byte (Odoo\'s CODA importers read them as windows-1252)', () => {
  it('a .cod file with an accented name reads back as written, and its movements carry the name', async () => {
    const { startCodaboxSandbox } = await import('../../src/sandbox/codabox/index.js');
    const { createCodaboxClient } = await import('../../src/sources/codabox/client.js');
    const { parseCoda } = await import('../../src/domain/coda.js');
    const codabox = await startCodaboxSandbox({ bulkEntries: 0 });
    const local: Transport[] = [];
    try {
      const entry = [...codabox.data.feeds.values()].flatMap((f) => f.download).find((e) => e.document_model === 'coda' && e.files.cod?.().toString('latin1').includes('François'))!;
      expect(entry).toBeDefined();
      const user = codabox.users.find((u) => u.feedClients.some((id) => codabox.data.feeds.get(id)?.download.includes(entry)))!;
      const client = createCodaboxClient({ connection: 'c', transport: sourceDeps('CODABOX', local).transport(codabox.url), softwareKey: codabox.softwareKey, username: user.username, password: user.password });
      const text = await client.fileText('download', entry.feed_index, 'cod');
      expect(text).not.toContain('\uFFFD');
      expect(text).toContain('François');
      expect(parseCoda(text).statements.flatMap((s) => s.movements.map((m) => m.counterpartyName ?? ''))).toContainEqual(expect.stringContaining('François'));
    } finally {
      await Promise.all(local.map((t) => t.close()));
      await codabox.close();
    }
  });
});
