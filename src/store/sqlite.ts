import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { sqliteMigrations, type Migration } from './migrations.js';
import type { BeginOutcome, CredentialStore, SentDocumentStore, PaymentLinkStore, IdempotencyKey, IdempotencyLedger, IdempotencyState, Store } from './types.js';

interface Row {
  fingerprint: string;
  state: IdempotencyState;
  started_at: number;
  result: string | null;
  detail: string | null;
}

function migrate(db: Database.Database, migrations: Migration[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').all().map((r) => (r as { version: number }).version));
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    })();
  }
}

/** The embedded store: one SQLite file, WAL mode. One process writes it; use PostgreSQL for replicas. */
export function openSqliteStore(file: string): Store {
  if (file !== ':memory:') {
    // The store holds pupils' names and sealed credentials: owner-only, whatever the umask.
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    closeSync(openSync(file, 'a', 0o600));
    chmodSync(file, 0o600);
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // SQLite gives the -wal and -shm files the database file's mode; older ones are tightened here.
  if (file !== ':memory:') for (const extra of [`${file}-wal`, `${file}-shm`]) if (existsSync(extra)) chmodSync(extra, 0o600);
  db.pragma('busy_timeout = 5000');
  migrate(db, sqliteMigrations);

  const select = db.prepare<[string, string, string], Row>(
    'SELECT fingerprint, state, started_at, result, detail FROM idempotency WHERE caller = ? AND operation = ? AND key = ?',
  );
  const insert = db.prepare(
    "INSERT INTO idempotency (caller, operation, key, fingerprint, state, started_at, updated_at) VALUES (?, ?, ?, ?, 'reserved', ?, ?)",
  );
  const takeOver = db.prepare("UPDATE idempotency SET started_at = ?, updated_at = ? WHERE caller = ? AND operation = ? AND key = ? AND state = 'reserved'");
  const setState = db.prepare('UPDATE idempotency SET state = ?, result = ?, detail = ?, updated_at = ? WHERE caller = ? AND operation = ? AND key = ?');
  const remove = db.prepare('DELETE FROM idempotency WHERE caller = ? AND operation = ? AND key = ?');

  const begin = db.transaction((k: IdempotencyKey, fingerprint: string, now: number, leaseMs: number): BeginOutcome => {
    const row = select.get(k.caller, k.operation, k.key);
    if (!row) {
      insert.run(k.caller, k.operation, k.key, fingerprint, now, now);
      return { kind: 'started' };
    }
    if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
    const stale = now - row.started_at >= leaseMs;
    switch (row.state) {
      case 'completed':
        return { kind: 'completed', result: row.result === null ? null : JSON.parse(row.result) };
      case 'reserved':
        if (!stale) return { kind: 'in-progress', startedAt: row.started_at };
        takeOver.run(now, now, k.caller, k.operation, k.key);
        return { kind: 'started' };
      case 'sending':
        return stale ? { kind: 'unknown', startedAt: row.started_at, detail: null } : { kind: 'in-progress', startedAt: row.started_at };
      case 'unknown':
        return { kind: 'unknown', startedAt: row.started_at, detail: row.detail };
    }
  });

  const ledger: IdempotencyLedger = {
    begin: async (k, fingerprint, now, leaseMs) => begin.immediate(k, fingerprint, now, leaseMs),
    markSending: async (k, now) => {
      setState.run('sending', null, null, now, k.caller, k.operation, k.key);
    },
    complete: async (k, result, now) => {
      setState.run('completed', JSON.stringify(result), null, now, k.caller, k.operation, k.key);
    },
    markUnknown: async (k, detail, now) => {
      setState.run('unknown', null, detail, now, k.caller, k.operation, k.key);
    },
    result: async (k) => {
      const row = select.get(k.caller, k.operation, k.key);
      return row?.state === 'completed' && row.result !== null ? (JSON.parse(row.result) as unknown) : null;
    },
    release: async (k) => {
      remove.run(k.caller, k.operation, k.key);
    },
  };

  const putCredential = db.prepare(
    'INSERT INTO upstream_credentials (source, connection, sealed, claimed_at) VALUES (?, ?, ?, ?) ON CONFLICT (source, connection) DO UPDATE SET sealed = excluded.sealed, claimed_at = excluded.claimed_at',
  );
  const listCredentials = db.prepare<[string], { connection: string; sealed: string }>('SELECT connection, sealed FROM upstream_credentials WHERE source = ? ORDER BY connection');
  const credentials: CredentialStore = {
    put: async (source, connection, sealed, now) => {
      putCredential.run(source, connection, sealed, now);
    },
    list: async (source) => listCredentials.all(source),
  };

  const putSent = db.prepare('INSERT INTO sent_documents (source, connection, local, body, sent_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (source, connection, local) DO NOTHING');
  const getSent = db.prepare<[string, string, string], { body: string }>('SELECT body FROM sent_documents WHERE source = ? AND connection = ? AND local = ?');
  const sentDocuments: SentDocumentStore = {
    put: async (source, connection, local, body, now) => {
      putSent.run(source, connection, local, body, now);
    },
    get: async (source, connection, local) => getSent.get(source, connection, local)?.body ?? null,
  };

  const putLink = db.prepare('INSERT INTO payment_links (invoice_id, transaction_key, payment, linked_at) VALUES (?, ?, ?, ?) ON CONFLICT (transaction_key) DO NOTHING');
  type LinkRow = { invoiceId: string; transactionKey: string; payment: string };
  const linksWhere = (column: 'invoice_id' | 'transaction_key', values: readonly string[]): LinkRow[] =>
    values.length === 0 ? [] : db.prepare<string[], LinkRow>(`SELECT invoice_id AS invoiceId, transaction_key AS transactionKey, payment FROM payment_links WHERE ${column} IN (${values.map(() => '?').join(',')}) ORDER BY linked_at, transaction_key`).all(...values);
  const paymentLinks: PaymentLinkStore = {
    put: async (l, now) => {
      putLink.run(l.invoiceId, l.transactionKey, l.payment, now);
    },
    byInvoice: async (ids) => linksWhere('invoice_id', ids),
    byTransaction: async (keys) => linksWhere('transaction_key', keys),
  };

  return {
    kind: 'sqlite',
    paymentLinks,
    ledger,
    credentials,
    sentDocuments,
    ping: async () => {
      db.prepare('SELECT 1').get();
    },
    close: async () => {
      db.close();
    },
  };
}
