import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { createAuthenticator } from './auth/caller.js';
import type { Config } from './config.js';
import { createTransport, TokenCache, type Transport } from './http/index.js';
import { createOnce } from './idempotency/once.js';
import { startTracing } from './telemetry/tracing.js';
import { currentOperation } from './http/operation.js';
import { memoryCacheStore, redisCacheStore } from './http/responseCache.js';
import { createMetrics, type Metrics } from './metrics.js';
import { buildApp } from './server/app.js';
import { createUrlSigner } from './server/signedUrls.js';
import { openPostgresStore, openSqliteStore } from './store/index.js';
import { startOfficialRules } from './validation/official.js';
import { CapabilityCache } from './loaders/index.js';
import { connectSources, runtimesOf, type Upstreams } from './sources/registry.js';
import type { ConnectDeps } from './sources/types.js';
import type { SourceName } from './domain/globalId.js';

export interface Gateway {
  url: string;
  /** Where it listens, with the port actually chosen (`PORT=0` picks one). */
  listening: string;
  metrics: Metrics;
  upstreams: Upstreams;
  close(): Promise<void>;
}

/** Redacted paths: secrets must never reach a log line. */
const REDACT = ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.url', '*.clientSecret', '*.client_secret', '*.password', '*.access_token', '*.signingKey'];

export function createLogger(level: Config['logLevel']): Logger {
  return pino({
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    // Every line written while an operation runs carries its request id (unless the line's logger already binds it).
    mixin: (_merge, _level, logger) => {
      const id = currentOperation()?.requestId;
      return id && !('requestId' in (logger as Logger).bindings()) ? { requestId: id } : {};
    },
  });
}

/**
 * Composition root: config -> store -> sources (from the registry) -> HTTP server.
 * Everything it opens, `close()` closes, in reverse order.
 */
export async function startGateway(config: Config, opts: { log?: Logger; port?: number } = {}): Promise<Gateway> {
  const log = opts.log ?? createLogger(config.logLevel);
  // First, so that the schema is built with resolver spans and every transport traces its requests.
  const tracing = await startTracing(config.tracing, log);
  const metrics = createMetrics();
  const store = config.database ? await openPostgresStore(config.database.url, { poolSize: config.database.poolSize }) : openSqliteStore(join(config.dataDir, 'gateway.sqlite'));
  const transports: Transport[] = [];
  const responseCache = config.cache.url ? redisCacheStore(config.cache.url) : memoryCacheStore(config.cache.maxBytes);
  // What each source gets to open its connections: transports and token caches labelled with it.
  const deps = (source: SourceName): ConnectDeps => ({
    transport(baseUrl, o = {}) {
      // The source's own API (not a token endpoint) keeps its reads for the source's CACHE_TTL_SECONDS.
      const ttl = o.label ? 0 : (config.cache.ttlSeconds[source] ?? 0);
      const cache = ttl > 0 ? { store: responseCache, ttlMs: ttl * 1000 } : undefined;
      const t = createTransport({ source: o.label ?? source, baseUrl, tls: o.tls, timeouts: config.http.timeouts, retry: config.http.retry, breaker: config.http.breaker, maxConcurrency: config.http.maxConcurrency, maxBodyBytes: config.http.maxBodyBytes, metrics, log, cache });
      transports.push(t);
      return t;
    },
    tokens: (identity) =>
      new TokenCache(source, identity.send, {
        marginSeconds: config.http.tokenRefreshMarginSeconds,
        onRequest: (outcome) => metrics.tokenRequests.inc({ upstream: source, outcome }),
      }),
    store,
    log,
    credentialsKey: config.credentialsKey,
    capabilities: { forget: (iso6523) => capabilityCache.forget(iso6523) },
  });
  const capabilityCache = new CapabilityCache(config.capabilities.cacheTtlSeconds * 1000);
  const upstreams: Upstreams = { sources: await connectSources(config.sources, deps), capabilityCache };

  const signer = createUrlSigner(config.downloads.signingKey, config.downloads.ttlSeconds);
  if (signer.ephemeralKey) log.warn('DOWNLOAD_SIGNING_KEY is not set: download links use a random key and stop working at restart (and on other replicas).');
  const once = createOnce(store.ledger, { leaseMs: config.idempotencyLeaseSeconds * 1000 });
  const auth = createAuthenticator(config.apiKeys, config.jwt);
  // Compiled in the background: validateDocument says COMPILING until they are ready.
  const officialRules = startOfficialRules(config.validationArtefactsDir, config.validationCacheDir, log);
  const { app } = await buildApp({ config, log, metrics, store, upstreams, signer, once, auth, officialRules });
  const address = await app.listen({ port: opts.port ?? config.port, host: config.host });
  const url = config.publicUrl ?? address.replace('[::1]', 'localhost');

  return {
    url,
    listening: new URL(address).host,
    metrics,
    upstreams,
    async close() {
      // Fastify closes the connections idle when it starts closing; a keep-alive connection whose
      // request was still running goes idle later and would hold the close for the keep-alive
      // timeout. Closing idle connections until the server is down drains without waiting on them.
      const sweep = setInterval(() => app.server.closeIdleConnections?.(), 100);
      try {
        await app.close();
      } finally {
        clearInterval(sweep);
      }
      for (const r of runtimesOf(upstreams)) r.close?.();
      await Promise.all(transports.map((t) => t.close()));
      await store.close();
      await responseCache.close();
      await tracing.shutdown();
    },
  };
}
