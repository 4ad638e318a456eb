import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore, type Store } from '../../src/store/index.js';

/**
 * The contract every Store implementation must meet. The PostgreSQL store will be added to
 * `implementations` and run the same cases.
 */
const dir = mkdtempSync(join(tmpdir(), 'store-'));
const implementations: [string, () => Store][] = [['sqlite', () => openSqliteStore(join(dir, `s-${Math.random()}.sqlite`))]];

describe.each(implementations)('%s store', (_name, open) => {
  const store = open();
  afterAll(() => store.close());
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

describe('sqlite store file', () => {
  it('keeps records across reopen and applies migrations once', async () => {
    const file = join(dir, 'reopen.sqlite');
    const a = openSqliteStore(file);
    await a.ledger.begin({ caller: 'c', operation: 'o', key: 'k' }, 'f', 0, 1000);
    await a.ledger.complete({ caller: 'c', operation: 'o', key: 'k' }, 42, 1);
    await a.close();
    const b = openSqliteStore(file);
    expect(await b.ledger.begin({ caller: 'c', operation: 'o', key: 'k' }, 'f', 2, 1000)).toEqual({ kind: 'completed', result: 42 });
    await b.close();
  });
});

describe('claimed credentials', () => {
  it('are stored sealed: the database file never holds the password, and the key opens them again after reopen', async () => {
    const { SecretBox } = await import('../../src/store/secrets.js');
    const { readFileSync } = await import('node:fs');
    const file = join(dir, 'secrets.sqlite');
    const box = new SecretBox('k'.repeat(40));
    const a = openSqliteStore(file);
    await a.credentials.put('CODABOX', 'acme', box.seal(JSON.stringify({ username: 'u', password: 'very-secret-password' })), 1);
    await a.close();
    expect(readFileSync(file).includes(Buffer.from('very-secret-password'))).toBe(false);
    const b = openSqliteStore(file);
    const [row] = await b.credentials.list('CODABOX');
    expect(JSON.parse(box.open(row!.sealed))).toEqual({ username: 'u', password: 'very-secret-password' });
    expect(() => new SecretBox('x'.repeat(40)).open(row!.sealed)).toThrow();
    expect(() => box.open(row!.sealed.slice(0, -4) + 'AAAA')).toThrow();
    await b.close();
  });
});

describe('sent documents', () => {
  it('keep the first body written for an id, per source and connection, across a reopen', async () => {
    const file = join(dir, 'sent.sqlite');
    const a = openSqliteStore(file);
    await a.sentDocuments.put('IBANITY', 'shop', 'doc-1', '<Invoice>first</Invoice>', 1);
    // A repeat (a replayed send) never replaces what was sent.
    await a.sentDocuments.put('IBANITY', 'shop', 'doc-1', '<Invoice>second</Invoice>', 2);
    await a.close();
    const b = openSqliteStore(file);
    expect(await b.sentDocuments.get('IBANITY', 'shop', 'doc-1')).toBe('<Invoice>first</Invoice>');
    expect(await b.sentDocuments.get('IBANITY', 'other', 'doc-1')).toBeNull();
    expect(await b.sentDocuments.get('MAPI', 'shop', 'doc-1')).toBeNull();
    await b.close();
  });
});
