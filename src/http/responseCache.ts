import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { BufferedBody } from './body.js';
import { currentOperation } from './operation.js';
import type { Layer, UpstreamRequest } from './types.js';

/**
 * A short-lived cache of upstream reads across operations, so that a dashboard asking the same
 * page twice gets the second answer without an upstream call.
 *
 * - Only reads (GETs, and GraphQL queries sent as POST) that answered 200 are kept, for the source's
 *   TTL (CACHE_TTL_SECONDS).
 * - Entries are per caller (the caller's key is part of the cache key) and per upstream account (its
 *   credentials' identity), on top of the access checks every request has passed before it gets here.
 * - Any write the gateway sends to a source (a payment registration, a send, an acknowledgement)
 *   starts a new generation for that source: every cached read of it is then stale, so what the
 *   gateway's own mutations changed is read afresh. Changes made elsewhere show after the TTL.
 * - In memory for one replica (bounded by CACHE_MAX_MB, least recently used first out), or in
 *   Redis (CACHE_URL) so that replicas share entries and generations.
 * - A cache that fails (Redis down) is a miss, never a failed request.
 */

export interface CachedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface ResponseCacheStore {
  get(key: string): Promise<CachedResponse | null>;
  set(key: string, value: CachedResponse, ttlMs: number): Promise<void>;
  /** The current generation of a source's entries. */
  generation(source: string): Promise<number>;
  /** Makes every entry of a source stale. */
  bump(source: string): Promise<void>;
  close(): Promise<void>;
}

export function memoryCacheStore(maxBytes: number, now: () => number = Date.now): ResponseCacheStore {
  // A Map keeps insertion order: re-inserting on a hit makes it the least recently used order.
  const entries = new Map<string, { value: CachedResponse; expires: number; size: number }>();
  const generations = new Map<string, number>();
  let bytes = 0;
  const drop = (key: string) => {
    const e = entries.get(key);
    if (!e) return;
    entries.delete(key);
    bytes -= e.size;
  };
  return {
    async get(key) {
      const e = entries.get(key);
      if (!e) return null;
      if (e.expires <= now()) {
        drop(key);
        return null;
      }
      entries.delete(key);
      entries.set(key, e);
      return e.value;
    },
    async set(key, value, ttlMs) {
      // A JSON answer kept here is also kept parsed and checked while it lives (readJson, parseWire):
      // counted at five times its bytes (the bytes, and about four times them parsed), so CACHE_MAX_MB bounds both.
      const size = value.body.length * 5 + 512;
      if (size > maxBytes / 4) return;
      drop(key);
      entries.set(key, { value, expires: now() + ttlMs, size });
      bytes += size;
      for (const oldest of entries.keys()) {
        if (bytes <= maxBytes) break;
        drop(oldest);
      }
    },
    generation: async (source) => generations.get(source) ?? 0,
    async bump(source) {
      generations.set(source, (generations.get(source) ?? 0) + 1);
    },
    async close() {
      entries.clear();
    },
  };
}

export function redisCacheStore(url: string): ResponseCacheStore {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
  // Errors are misses; the connection retries in the background.
  redis.on('error', () => {});
  const PREFIX = 'gateway:cache:';
  return {
    async get(key) {
      const raw = await redis.getBuffer(PREFIX + key);
      if (!raw) return null;
      const headerLength = raw.readUInt32BE(0);
      const meta = JSON.parse(raw.subarray(4, 4 + headerLength).toString('utf8')) as { status: number; headers: CachedResponse['headers'] };
      return { ...meta, body: raw.subarray(4 + headerLength) };
    },
    async set(key, value, ttlMs) {
      const meta = Buffer.from(JSON.stringify({ status: value.status, headers: value.headers }), 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(meta.length, 0);
      await redis.set(PREFIX + key, Buffer.concat([length, meta, value.body]), 'PX', ttlMs);
    },
    generation: async (source) => Number((await redis.get(`${PREFIX}generation:${source}`)) ?? 0),
    async bump(source) {
      await redis.incr(`${PREFIX}generation:${source}`);
    },
    async close() {
      redis.disconnect();
    },
  };
}

const isRead = (req: UpstreamRequest) => (req.method === 'GET' || req.read === true) && req.idempotent && !req.stream;

export function withResponseCache(opts: { store: ResponseCacheStore; source: string; ttlMs: number; onOutcome(outcome: 'hit' | 'miss' | 'error'): void }): Layer {
  const { store, source } = opts;
  const quiet = <T>(p: Promise<T>, fallback: T): Promise<T> =>
    p.catch(() => {
      opts.onOutcome('error');
      return fallback;
    });
  return (next) => async (req) => {
    if (!isRead(req)) {
      try {
        return await next(req);
      } finally {
        // Even a write that failed may have changed something upstream.
        await quiet(store.bump(source), undefined);
      }
    }
    const op = currentOperation();
    // Outside an operation (readiness checks, downloads) there is no caller to keep entries for; a
    // credential without a stable identity cannot be told apart from another one.
    if (!op || (req.auth && !req.auth.identity)) return next(req);
    const generation = await quiet(store.generation(source), -1);
    if (generation < 0) return next(req);
    const who = `${req.auth?.identity ?? ''}|${req.basic?.username ?? ''}`;
    const key = createHash('sha256').update(`${source}\u0000${generation}\u0000${op.caller}\u0000${who}\u0000${req.method}\u0000${req.path}\u0000${JSON.stringify(req.headers ?? {})}\u0000`).update(req.body ?? '').digest('base64url');
    const hit = await quiet(store.get(key), null);
    if (hit) {
      opts.onOutcome('hit');
      return { status: hit.status, headers: hit.headers, body: new BufferedBody(hit.body) };
    }
    opts.onOutcome('miss');
    const res = await next(req);
    if (res.status === 200 && res.body instanceof BufferedBody) {
      // Kept only if no write of this source happened meanwhile (the generation moved on).
      await quiet(store.set(key, { status: res.status, headers: res.headers, body: res.body.bytes }, opts.ttlMs), undefined);
    }
    return res;
  };
}
