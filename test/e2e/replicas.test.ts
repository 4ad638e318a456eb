import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceName } from '../../src/domain/globalId.js';
import type { CodaboxSandbox } from '../../src/sandbox/codabox/index.js';
import type { IbanitySandbox } from '../../src/sandbox/ibanity/index.js';
import type { InformatSandbox } from '../../src/sandbox/informat/index.js';
import { SOURCES } from '../../src/sources/registry.js';
import type { SandboxSettings, StartedSandbox } from '../../src/sources/types.js';
import { gatewayEnvFor } from '../helpers/gatewayEnv.js';
import { spawnGateway } from '../helpers/gatewayProcess.js';
import { createTestDatabase, postgresAvailable, ADMIN_URL } from '../helpers/postgres.js';
import { invoiceGid } from '../helpers/stack.js';

/**
 * Two gateway processes on one PostgreSQL, behind no load balancer but the test's own round robin:
 * duplicate mutations split across them act once upstream, a connection claimed on one is used on the
 * other, and a replica killed mid-payment leaves its key OUTCOME_UNKNOWN on the other, never paid twice.
 */
const pgUp = await postgresAvailable();
const SETTINGS: SandboxSettings = { seed: 42, latencyMs: 0, invoicesPerGroup: 40, pdfDelayMs: 50, tokenTtlSeconds: 3600, mapiParties: 200, ibanityStepMs: 100, dataDir: '' };
const PAY = 'POST /api/payments/:accessGroup/:invoiceId';

type Replica = Awaited<ReturnType<typeof spawnGateway>>;

(pgUp ? describe : describe.skip)(`two replicas on one PostgreSQL${pgUp ? '' : ` [skipped: no PostgreSQL answers at ${ADMIN_URL}]`}`, () => {
  const started: StartedSandbox<unknown>[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'gw-replicas-'));
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let informat: InformatSandbox;
  let codabox: CodaboxSandbox;
  let ibanity: IbanitySandbox;
  let env: Record<string, string>;
  const replicas: Replica[] = [];
  const gql = async (r: Replica, query: string, variables: Record<string, unknown> = {}) =>
    (await (await fetch(`${r.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) })).json()) as any;

  beforeAll(async () => {
    const handles: Partial<Record<SourceName, unknown>> = {};
    for (const s of SOURCES) {
      const one = await (await s.sandbox!()).start(SETTINGS, pino({ level: 'silent' }), s.name === 'CODABOX' ? { bulkEntries: 20 } : s.name === 'IBANITY' ? { stepMs: 100, bulkSuppliers: 10 } : {});
      started.push(one);
      handles[s.name] = one.handle;
    }
    informat = handles.INFORMAT as InformatSandbox;
    codabox = handles.CODABOX as CodaboxSandbox;
    ibanity = handles.IBANITY as IbanitySandbox;
    db = await createTestDatabase();
    env = {
      ...(await gatewayEnvFor(handles)),
      DATABASE_URL: db.url,
      CREDENTIALS_KEY: 'replicas-credentials-key-0123456789abcdef',
      DOWNLOAD_SIGNING_KEY: 'replicas-signing-key-0123456789abcdef',
      IDEMPOTENCY_LEASE_SECONDS: '2',
      LOG_LEVEL: 'error',
    };
    for (const i of [0, 1]) replicas.push(await spawnGateway({ ...env, DATA_DIR: join(dir, `r${i}`) }));
  }, 120_000);
  afterAll(async () => {
    for (const r of replicas) if (r.child.exitCode === null && r.child.signalCode === null) await r.stop();
    for (const s of started) await s.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('20 duplicate registerPayment calls split across both replicas register once upstream', async () => {
    informat.api.resetCalls();
    const input = { invoiceId: invoiceGid(), amount: '2.00', date: '2024-03-02', idempotencyKey: 'replica-pay-1' };
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => gql(replicas[i % 2]!, 'mutation($i: RegisterPaymentInput!) { registerPayment(input: $i) { payment { id } userErrors { code } } }', { i: input })));
    expect(informat.api.calls(PAY)).toHaveLength(1);
    const ids = new Set(answers.filter((a) => a.data.registerPayment.payment).map((a) => a.data.registerPayment.payment.id));
    expect(ids.size).toBe(1);
    // The others are told the key is busy, never that a second payment was made.
    for (const a of answers) if (!a.data.registerPayment.payment) expect(a.data.registerPayment.userErrors[0].code).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
    // Asked again afterwards, both replicas replay the one payment.
    for (const r of replicas) expect((await gql(r, 'mutation($i: RegisterPaymentInput!) { registerPayment(input: $i) { payment { id } } }', { i: input })).data.registerPayment.payment.id).toBe([...ids][0]);
    expect(informat.api.calls(PAY)).toHaveLength(1);
  });

  it('20 duplicate sendInvoice calls through Ibanity split across both replicas post one document', async () => {
    ibanity.server.resetCalls();
    const input = {
      channel: 'IBANITY', number: 'REPL-1', issueDate: '2026-11-20', buyerReference: 'PO', idempotencyKey: 'replica-send-1',
      seller: { identifier: '0208:0739484052', name: 'Brouwerij Sandbox BV', vatNumber: 'BE0739484052', countryCode: 'BE' },
      buyer: { identifier: 'BE0840559537', name: 'Peppol Test Receiver NV', countryCode: 'BE' },
      lines: [{ description: 'Vat', quantity: '1', unitPrice: '100', taxPercent: '21' }],
    };
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => gql(replicas[i % 2]!, 'mutation($i: SendInvoiceInput!) { sendInvoice(input: $i) { message { id } userErrors { code } } }', { i: input })));
    expect(ibanity.server.calls('POST /einvoicing/peppol/suppliers/:supplierId/invoices')).toHaveLength(1);
    expect(new Set(answers.filter((a) => a.data.sendInvoice.message).map((a) => a.data.sendInvoice.message.id)).size).toBe(1);
  });

  it('a CodaBox connection claimed on one replica is used on the other', async () => {
    const asked = await gql(replicas[0]!, 'mutation { requestCodaboxAccess(input: { vat: "0010.015.348", purpose: SALES_INVOICES }) { userErrors { code } } }');
    expect(asked.data.requestCodaboxAccess.userErrors).toEqual([]);
    const token = codabox.mailbox.get('BE0010015348')!;
    const claimed = await gql(replicas[0]!, 'mutation($t: String!) { claimCodaboxCredentials(input: { token: $t, connection: "shared-client" }) { userErrors { code } } }', { t: token });
    expect(claimed.data.claimCodaboxCredentials.userErrors).toEqual([]);
    let names: string[] = [];
    for (let i = 0; i < 40 && !names.includes('shared-client'); i++) {
      names = (await gql(replicas[1]!, '{ connections { name } }')).data.connections.map((c: any) => c.name);
      if (!names.includes('shared-client')) await sleep(100);
    }
    expect(names).toContain('shared-client');
    const feeds = await gql(replicas[1]!, '{ feeds { id name } }');
    expect(feeds.data.feeds.some((f: any) => Buffer.from(f.id, 'base64url').toString().includes(':shared-client:'))).toBe(true);
  });

  it('a replica killed with SIGKILL mid-payment leaves the key OUTCOME_UNKNOWN on the other, never a second registration', async () => {
    informat.api.resetCalls();
    informat.api.inject(PAY, { hang: true, times: 1 });
    const input = { invoiceId: invoiceGid(), amount: '3.00', date: '2024-03-03', idempotencyKey: 'replica-killed' };
    const doomed = replicas[0]!;
    void gql(doomed, 'mutation($i: RegisterPaymentInput!) { registerPayment(input: $i) { payment { id } } }', { i: input }).catch(() => {});
    for (let i = 0; i < 100 && informat.api.calls(PAY).length === 0; i++) await sleep(20);
    expect(informat.api.calls(PAY)).toHaveLength(1);
    doomed.child.kill('SIGKILL');
    await new Promise((r) => doomed.child.once('exit', r));
    // Past the lease (IDEMPOTENCY_LEASE_SECONDS=2), the other replica reads the key as sent, outcome unknown.
    await sleep(2200);
    const replay = await gql(replicas[1]!, 'mutation($i: RegisterPaymentInput!) { registerPayment(input: $i) { payment { id } userErrors { code message } } }', { i: input });
    expect(replay.data.registerPayment.payment).toBeNull();
    expect(replay.data.registerPayment.userErrors[0].code).toBe('OUTCOME_UNKNOWN');
    expect(informat.api.calls(PAY)).toHaveLength(1);
  });
});
