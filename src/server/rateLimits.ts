import { GraphQLError } from 'graphql';
import { Redis } from 'ioredis';
import pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface RateLimitSettings {
  /** GraphQL requests per caller per minute; 0: no limit. */
  requestsPerMinute: number;
  /** Summed operation cost (the cost analysis' estimate) per caller per minute; 0: no limit. */
  costPerMinute: number;
  /** Where counters live: `memory` (this replica), `redis://…`, or `postgres` (the store's DATABASE_URL). */
  store: string;
}

/** What a caller was refused, for the 429 answer. */
const refusal = (what: string, limit: number, res: RateLimiterRes) => {
  const retryAfter = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return new GraphQLError(`Rate limit: this caller used its ${limit} ${what} per minute. Try again in ${retryAfter} s.`, {
    extensions: { code: 'RATE_LIMITED', limit, retryAfterSeconds: retryAfter, http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) } },
  });
};

/**
 * Per-caller limits on requests and on cost per minute (rate-limiter-flexible), counted in this
 * replica's memory or in a store the replicas share. A shared store that fails falls back to this
 * replica's memory counters, so an outage of Redis never takes the API down with it.
 */
export async function createRateLimits(s: RateLimitSettings, databaseUrl: string | null) {
  let close = async () => {};
  let redis: Redis | null = null;
  let pool: pg.Pool | null = null;
  if (s.store.startsWith('redis')) {
    redis = new Redis(s.store, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    redis.on('error', () => {});
    close = async () => void redis!.disconnect();
    // Counted from the first request on: wait (a little) for the connection; if Redis is down the
    // memory insurance counts until it is back.
    await Promise.race([new Promise((r) => redis!.once('ready', r)), new Promise((r) => setTimeout(r, 2000).unref())]);
  } else if (s.store === 'postgres') {
    if (!databaseUrl) throw new Error('RATE_LIMIT_STORE=postgres needs DATABASE_URL');
    pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    pool.on('error', () => {});
    close = () => pool!.end();
  }
  const make = async (keyPrefix: string, points: number): Promise<RateLimiterAbstract | null> => {
    if (points <= 0) return null;
    const base = { keyPrefix, points, duration: 60 };
    const insurance = new RateLimiterMemory(base);
    if (redis) return new RateLimiterRedis({ ...base, storeClient: redis, insuranceLimiter: insurance });
    if (!pool) return insurance;
    // The limiter makes its table at start. Replicas starting together can collide on that CREATE in
    // PostgreSQL's catalog; the loser finds the table on its second try.
    const open = () =>
      new Promise<RateLimiterAbstract>((resolve, reject) => {
        const limiter: RateLimiterPostgres = new RateLimiterPostgres({ ...base, storeClient: pool, storeType: 'pool', tableName: 'rate_limits', insuranceLimiter: insurance }, (err?: Error) => (err ? reject(err) : resolve(limiter)));
      });
    return open().catch(async () => {
      await new Promise((r) => setTimeout(r, 200));
      return open();
    });
  };
  const requests = await make('gw-requests', s.requestsPerMinute);
  const cost = await make('gw-cost', s.costPerMinute);

  const take = async (limiter: RateLimiterAbstract | null, key: string, points: number, what: string, limit: number) => {
    if (!limiter || points <= 0) return;
    try {
      await limiter.consume(key, Math.min(points, limit));
    } catch (err) {
      if (err instanceof RateLimiterRes) throw refusal(what, limit, err);
      // A store error with no insurance left: let the request through rather than fail it.
    }
  };
  return {
    /** One request of `caller`; throws the 429 error past the limit. */
    request: (caller: string) => take(requests, caller, 1, 'requests', s.requestsPerMinute),
    /** An operation's estimated cost, counted before it runs; throws the 429 error past the limit. */
    cost: (caller: string, points: number) => take(cost, caller, Math.ceil(points), 'cost points', s.costPerMinute),
    close,
  };
}

export type RateLimits = Awaited<ReturnType<typeof createRateLimits>>;
