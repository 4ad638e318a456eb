import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore, openSqliteStore, SecretBox, type Store } from '../../src/store/index.js';
import { postgresMigrations } from '../../src/store/migrations.js';
import { createTestDatabase, postgresAvailable, ADMIN_URL } from '../helpers/postgres.js';

/**
 * The contract every Store implementation must meet, run against SQLite and PostgreSQL alike. The
 * PostgreSQL cases use a database of their own on 127.0.0.1:5432 and skip, saying so, where none answers.
 */
const dir = mkdtempSync(join(tmpdir(), 'store-'));
const pgUp = await postgresAvailable();
if (!pgUp) console.warn(`skipped the PostgreSQL store contract: no PostgreSQL answers at ${ADMIN_URL}`);

/** An implementation: `open` gives a store on one place, `reopen` another store on the same place. */
interface Place {
  open(): Promise<Store>;
  drop(): Promise<void>;
}
const sqlite = async (): Promise<Place> => {
  const file = join(dir, `s-${Math.random()}.sqlite`);
  return { open: async () => openSqliteStore(file), drop: async () => {} };
};
const postgres = async (): Promise<Place> => {
  const db = await createTestDatabase();
  return { open: () => openPostgresStore(db.url, { poolSize: 4 }), drop: db.drop };
};
const implementations: [string, () => Promise<Place>][] = [['sqlite', sqlite], ...(pgUp ? [['postgres', postgres] as [string, () => Promise<Place>]] : [])];

describe.each(implementations)('%s store', (_name, place) => {
  let where: Place;
  let store: Store;
  beforeAll(async () => {
    where = await place();
    store = await where.open();
  });
  afterAll(async () => {
    await store.close();
    await where.drop();
  });
  const LEASE = 1000;
  let n = 0;
  const key = () => ({ caller: 'c1', operation: 'op', key: `k${++n}` });

  it('starts a new key, then replays its completed result', async () => {
    const k = key();
    expect(await store.ledger.begin(k, 'f', 0, LEASE)).toEqual({ kind: 'started' });
    await store.ledger.markSending(k, 1);
    await store.ledger.complete(k, { paid: '10.00' }, 2);
    expect(await store.ledger.begin(k, 'f', 3, LEASE)).toEqual({ kind: 'completed', result: { paid: '10.00' } });
    expect(await store.ledger.result(k)).toEqual({ paid: '10.00' });
  });

  it('reads back only completed results', async () => {
    const k = key();
    expect(await store.ledger.result(k)).toBeNull();
    await store.ledger.begin(k, 'f', 0, LEASE);
    expect(await store.ledger.result(k)).toBeNull();
  });

  it('refuses the key with another fingerprint', async () => {
    const k = key();
    await store.ledger.begin(k, 'f', 0, LEASE);
    expect(await store.ledger.begin(k, 'g', 1, LEASE)).toEqual({ kind: 'mismatch' });
  });

  it('reports a running request as in progress, and takes over a stale reservation (nothing was sent)', async () => {
    const k = key();
    await store.ledger.begin(k, 'f', 0, LEASE);
    expect(await store.ledger.begin(k, 'f', 10, LEASE)).toEqual({ kind: 'in-progress', startedAt: 0 });
    expect(await store.ledger.begin(k, 'f', LEASE + 1, LEASE)).toEqual({ kind: 'started' });
  });

  it('never restarts a stale request that may have been sent: its outcome is unknown', async () => {
    const k = key();
    await store.ledger.begin(k, 'f', 0, LEASE);
    await store.ledger.markSending(k, 5);
    expect(await store.ledger.begin(k, 'f', 10, LEASE)).toEqual({ kind: 'in-progress', startedAt: 0 });
    expect(await store.ledger.begin(k, 'f', LEASE + 1, LEASE)).toEqual({ kind: 'unknown', startedAt: 0, detail: null });
  });

  it('keeps an unknown outcome with its detail, and frees released keys', async () => {
    const k = key();
    await store.ledger.begin(k, 'f', 0, LEASE);
    await store.ledger.markSending(k, 1);
    await store.ledger.markUnknown(k, 'socket hang up', 2);
    expect(await store.ledger.begin(k, 'f', 3, LEASE)).toEqual({ kind: 'unknown', startedAt: 0, detail: 'socket hang up' });
    const r = key();
    await store.ledger.begin(r, 'f', 0, LEASE);
    await store.ledger.release(r);
    expect(await store.ledger.begin(r, 'other', 1, LEASE)).toEqual({ kind: 'started' });
  });

  it('scopes keys by caller and operation', async () => {
    const k = key();
    await store.ledger.begin(k, 'f', 0, LEASE);
    expect(await store.ledger.begin({ ...k, caller: 'c2' }, 'g', 0, LEASE)).toEqual({ kind: 'started' });
    expect(await store.ledger.begin({ ...k, operation: 'other' }, 'g', 0, LEASE)).toEqual({ kind: 'started' });
  });
});

describe.each(implementations)('%s store, reopened', (_name, place) => {
  let where: Place;
  beforeAll(async () => {
    where = await place();
  });
  afterAll(async () => where.drop());

  it('keeps records across reopen and applies migrations once', async () => {
    const a = await where.open();
    await a.ledger.begin({ caller: 'c', operation: 'o', key: 'k' }, 'f', 0, 1000);
    await a.ledger.complete({ caller: 'c', operation: 'o', key: 'k' }, 42, 1);
    await a.close();
    const b = await where.open();
    expect(await b.ledger.begin({ caller: 'c', operation: 'o', key: 'k' }, 'f', 2, 1000)).toEqual({ kind: 'completed', result: 42 });
    await b.close();
  });

  it('stores claimed credentials sealed: the key opens them again after reopen, another key does not', async () => {
    const box = new SecretBox('k'.repeat(40));
    const a = await where.open();
    await a.credentials.put('CODABOX', 'acme', box.seal(JSON.stringify({ username: 'u', password: 'very-secret-password' })), 1);
    await a.close();
    const b = await where.open();
    const [row] = await b.credentials.list('CODABOX');
    expect(row!.sealed).not.toContain('very-secret-password');
    expect(JSON.parse(box.open(row!.sealed))).toEqual({ username: 'u', password: 'very-secret-password' });
    expect(() => new SecretBox('x'.repeat(40)).open(row!.sealed)).toThrow();
    expect(() => box.open(row!.sealed.slice(0, -4) + 'AAAA')).toThrow();
    await b.close();
  });

  it('keeps the first body written for a sent document, per source and connection', async () => {
    const a = await where.open();
    await a.sentDocuments.put('IBANITY', 'shop', 'doc-1', '<Invoice>first</Invoice>', 1);
    // A repeat (a replayed send) never replaces what was sent.
    await a.sentDocuments.put('IBANITY', 'shop', 'doc-1', '<Invoice>second</Invoice>', 2);
    await a.close();
    const b = await where.open();
    expect(await b.sentDocuments.get('IBANITY', 'shop', 'doc-1')).toBe('<Invoice>first</Invoice>');
    expect(await b.sentDocuments.get('IBANITY', 'other', 'doc-1')).toBeNull();
    expect(await b.sentDocuments.get('MAPI', 'shop', 'doc-1')).toBeNull();
    await b.close();
  });

  it('links one bank transaction to one invoice, read back by invoice and by transaction after a restart', async () => {
    const a = await where.open();
    await a.paymentLinks.put({ invoiceId: 'inv-1', transactionKey: 'BE1:1:1:0', payment: '{"n":1}' }, 1);
    await a.paymentLinks.put({ invoiceId: 'inv-1', transactionKey: 'BE1:1:2:0', payment: '{"n":2}' }, 2);
    // A second write for the same transaction (another replica, a retry) never moves it to another invoice.
    await a.paymentLinks.put({ invoiceId: 'inv-2', transactionKey: 'BE1:1:1:0', payment: '{"n":3}' }, 3);
    await a.close();
    const b = await where.open();
    expect((await b.paymentLinks.byInvoice(['inv-1'])).map((l) => l.payment)).toEqual(['{"n":1}', '{"n":2}']);
    expect(await b.paymentLinks.byInvoice(['inv-2'])).toEqual([]);
    expect(await b.paymentLinks.byTransaction(['BE1:1:1:0', 'nope'])).toEqual([{ invoiceId: 'inv-1', transactionKey: 'BE1:1:1:0', payment: '{"n":1}' }]);
    await b.close();
  });

  it('answers one `started` to many concurrent begins of one key, from separate store instances (replicas)', async () => {
    const stores = await Promise.all([where.open(), where.open(), where.open()]);
    const k = { caller: 'c', operation: 'race', key: 'k' };
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => stores[i % 3]!.ledger.begin(k, 'f', 0, 60_000)));
    expect(outcomes.filter((o) => o.kind === 'started')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'in-progress')).toHaveLength(29);
    await Promise.all(stores.map((s) => s.close()));
  });
});

describe('sqlite store file', () => {
  it('is readable by its owner only, and never holds a claimed password in clear', async () => {
    const file = join(dir, 'secrets.sqlite');
    const a = openSqliteStore(file);
    await a.credentials.put('CODABOX', 'acme', new SecretBox('k'.repeat(40)).seal(JSON.stringify({ username: 'u', password: 'very-secret-password' })), 1);
    await a.close();
    const { statSync } = await import('node:fs');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file).includes(Buffer.from('very-secret-password'))).toBe(false);
  });
});

if (pgUp) {
  describe('postgres store migrations', () => {
    it('are safe when several replicas start at once: each applied once', async () => {
      const db = await createTestDatabase();
      const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore(db.url, { poolSize: 2 })));
      const pg = await import('pg');
      const client = new pg.default.Client({ connectionString: db.url });
      await client.connect();
      const rows = (await client.query('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version);
      await client.end();
      expect(rows).toEqual(postgresMigrations.map((m) => m.version));
      await Promise.all(stores.map((s) => s.close()));
      await db.drop();
    });
  });
}
