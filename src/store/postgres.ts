import pg from 'pg';
import { postgresMigrations } from './migrations.js';
import type { BeginOutcome, CredentialStore, IdempotencyLedger, IdempotencyState, SentDocumentStore, PaymentLinkStore, Store } from './types.js';

interface Row {
  fingerprint: string;
  state: IdempotencyState;
  started_at: string;
  result: string | null;
  detail: string | null;
}

/** Any number, the same in every replica: the advisory lock that lets one replica migrate at a time. */
const MIGRATION_LOCK = 7_411_203_901;

/**
 * Applies the migrations not yet recorded, under an advisory lock: when several replicas start at
 * once, one migrates and the others wait, then find nothing left to do.
 */
async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
    const applied = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    for (const m of postgresMigrations) {
      if (applied.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}

/**
 * The shared store for several replicas: PostgreSQL, through a pool of `poolSize` connections. The
 * ledger's `begin` runs in one transaction with the key's row locked, so two replicas asked the same
 * key at once see one `started` and one `in-progress`.
 */
export async function openPostgresStore(url: string, opts: { poolSize?: number } = {}): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10 });
  // An idle client that loses its server must not take the process down.
  pool.on('error', () => {});
  await migrate(pool);

  const where = 'caller = $1 AND operation = $2 AND key = $3';
  const ledger: IdempotencyLedger = {
    async begin(k, fingerprint, now, leaseMs): Promise<BeginOutcome> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const inserted = await client.query(
          "INSERT INTO idempotency (caller, operation, key, fingerprint, state, started_at, updated_at) VALUES ($1, $2, $3, $4, 'reserved', $5, $5) ON CONFLICT DO NOTHING",
          [k.caller, k.operation, k.key, fingerprint, now],
        );
        let out: BeginOutcome;
        if (inserted.rowCount === 1) out = { kind: 'started' };
        else {
          const row = (await client.query<Row>(`SELECT fingerprint, state, started_at, result, detail FROM idempotency WHERE ${where} FOR UPDATE`, [k.caller, k.operation, k.key])).rows[0]!;
          const startedAt = Number(row.started_at);
          const stale = now - startedAt >= leaseMs;
          if (row.fingerprint !== fingerprint) out = { kind: 'mismatch' };
          else if (row.state === 'completed') out = { kind: 'completed', result: row.result === null ? null : JSON.parse(row.result) };
          else if (row.state === 'reserved') {
            if (stale) {
              await client.query(`UPDATE idempotency SET started_at = $4, updated_at = $4 WHERE ${where}`, [k.caller, k.operation, k.key, now]);
              out = { kind: 'started' };
            } else out = { kind: 'in-progress', startedAt };
          } else if (row.state === 'sending') out = stale ? { kind: 'unknown', startedAt, detail: null } : { kind: 'in-progress', startedAt };
          else out = { kind: 'unknown', startedAt, detail: row.detail };
        }
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async markSending(k, now) {
      await pool.query(`UPDATE idempotency SET state = 'sending', updated_at = $4 WHERE ${where}`, [k.caller, k.operation, k.key, now]);
    },
    async complete(k, result, now) {
      await pool.query(`UPDATE idempotency SET state = 'completed', result = $4, detail = NULL, updated_at = $5 WHERE ${where}`, [k.caller, k.operation, k.key, JSON.stringify(result), now]);
    },
    async markUnknown(k, detail, now) {
      await pool.query(`UPDATE idempotency SET state = 'unknown', detail = $4, updated_at = $5 WHERE ${where}`, [k.caller, k.operation, k.key, detail, now]);
    },
    async release(k) {
      await pool.query(`DELETE FROM idempotency WHERE ${where}`, [k.caller, k.operation, k.key]);
    },
    async result(k) {
      const row = (await pool.query<Row>(`SELECT state, result FROM idempotency WHERE ${where}`, [k.caller, k.operation, k.key])).rows[0];
      return row?.state === 'completed' && row.result !== null ? (JSON.parse(row.result) as unknown) : null;
    },
  };

  const credentials: CredentialStore = {
    async put(source, connection, sealed, now) {
      await pool.query(
        'INSERT INTO upstream_credentials (source, connection, sealed, claimed_at) VALUES ($1, $2, $3, $4) ON CONFLICT (source, connection) DO UPDATE SET sealed = excluded.sealed, claimed_at = excluded.claimed_at',
        [source, connection, sealed, now],
      );
    },
    list: async (source) => (await pool.query<{ connection: string; sealed: string }>('SELECT connection, sealed FROM upstream_credentials WHERE source = $1 ORDER BY connection', [source])).rows,
  };

  const sentDocuments: SentDocumentStore = {
    async put(source, connection, local, body, now) {
      await pool.query('INSERT INTO sent_documents (source, connection, local, body, sent_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [source, connection, local, body, now]);
    },
    get: async (source, connection, local) => (await pool.query<{ body: string }>('SELECT body FROM sent_documents WHERE source = $1 AND connection = $2 AND local = $3', [source, connection, local])).rows[0]?.body ?? null,
  };

  type LinkRow = { invoiceId: string; transactionKey: string; payment: string };
  const linksWhere = async (column: 'invoice_id' | 'transaction_key', values: readonly string[]): Promise<LinkRow[]> =>
    values.length === 0 ? [] : (await pool.query<LinkRow>(`SELECT invoice_id AS "invoiceId", transaction_key AS "transactionKey", payment FROM payment_links WHERE ${column} = ANY($1) ORDER BY linked_at, transaction_key`, [values])).rows;
  const paymentLinks: PaymentLinkStore = {
    async put(l, now) {
      await pool.query('INSERT INTO payment_links (invoice_id, transaction_key, payment, linked_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [l.invoiceId, l.transactionKey, l.payment, now]);
    },
    byInvoice: (ids) => linksWhere('invoice_id', ids),
    byTransaction: (keys) => linksWhere('transaction_key', keys),
  };

  return {
    kind: 'postgres',
    paymentLinks,
    ledger,
    credentials,
    sentDocuments,
    ping: async () => {
      await pool.query('SELECT 1');
    },
    close: () => pool.end(),
  };
}
