/**
 * Versioned schema changes, applied in order at start and recorded in `schema_migrations`.
 * Never edit a released migration; add the next one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const sqliteMigrations: Migration[] = [
  {
    version: 1,
    name: 'idempotency ledger',
    sql: `
      CREATE TABLE idempotency (
        caller TEXT NOT NULL,
        operation TEXT NOT NULL,
        key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('reserved', 'sending', 'completed', 'unknown')),
        started_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        result TEXT,
        detail TEXT,
        PRIMARY KEY (caller, operation, key)
      );
    `,
  },
  {
    version: 2,
    name: 'claimed upstream credentials',
    sql: `
      CREATE TABLE upstream_credentials (
        source TEXT NOT NULL,
        connection TEXT NOT NULL,
        sealed TEXT NOT NULL,
        claimed_at INTEGER NOT NULL,
        PRIMARY KEY (source, connection)
      );
    `,
  },
  {
    version: 3,
    name: 'documents the gateway sent',
    sql: `
      CREATE TABLE sent_documents (
        source TEXT NOT NULL,
        connection TEXT NOT NULL,
        local TEXT NOT NULL,
        body TEXT NOT NULL,
        sent_at INTEGER NOT NULL,
        PRIMARY KEY (source, connection, local)
      );
    `,
  },
  {
    version: 4,
    name: 'bank payments registered on invoices',
    sql: `
      CREATE TABLE payment_links (
        invoice_id TEXT NOT NULL,
        transaction_key TEXT NOT NULL,
        payment TEXT NOT NULL,
        linked_at INTEGER NOT NULL,
        PRIMARY KEY (transaction_key)
      );
      CREATE INDEX payment_links_by_invoice ON payment_links (invoice_id);
    `,
  },
];

/**
 * The same schema for PostgreSQL. Times are epoch milliseconds in both stores (so the ledger's lease
 * arithmetic is one piece of code); PostgreSQL needs BIGINT for them where SQLite's INTEGER is 64-bit.
 */
export const postgresMigrations: Migration[] = sqliteMigrations.map((m) => ({ ...m, sql: m.sql.replace(/\bINTEGER\b/g, 'BIGINT') }));
