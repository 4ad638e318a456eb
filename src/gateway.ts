import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { createAuthenticator } from './auth/caller.js';
import type { Config } from './config.js';
import { createTransport, TokenCache, type Transport } from './http/index.js';
import { createOnce } from './idempotency/once.js';
import { createMetrics, type Metrics } from './metrics.js';
import { buildApp } from './server/app.js';
import { createUrlSigner } from './server/signedUrls.js';
import { openSqliteStore } from './store/index.js';
import { createInformatClient } from './upstreams/informat/index.js';
import { createMapiClient } from './upstreams/mapi/index.js';
import { createCodaboxClient, createCodaboxOnboarding } from './upstreams/codabox/index.js';
import { SecretBox } from './store/secrets.js';
import { CapabilityCache } from './loaders/index.js';
import type { Upstreams } from './upstreams/registry.js';

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
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' } });
}

/**
 * Composition root: config -> store -> transports and clients -> HTTP server.
 * Everything it opens, `close()` closes, in reverse order.
 */
export async function startGateway(config: Config, opts: { log?: Logger; port?: number } = {}): Promise<Gateway> {
  const log = opts.log ?? createLogger(config.logLevel);
  const metrics = createMetrics();
  const store = openSqliteStore(join(config.dataDir, 'gateway.sqlite'));
  const transports: Transport[] = [];
  const transportFor = (source: string, baseUrl: string) => {
    const t = createTransport({ source, baseUrl, timeouts: config.http.timeouts, retry: config.http.retry, breaker: config.http.breaker, maxConcurrency: config.http.maxConcurrency, maxBodyBytes: config.http.maxBodyBytes, metrics, log });
    transports.push(t);
    return t;
  };

  const upstreams: Upstreams = { informat: null, mapi: null, codabox: null, capabilityCache: new CapabilityCache(config.capabilities.cacheTtlSeconds * 1000) };
  if (config.informat) {
    const c = config.informat;
    const api = transportFor('INFORMAT', c.apiUrl);
    const identity = transportFor('INFORMAT_IDENTITY', new URL(c.tokenUrl).origin);
    const tokens = new TokenCache('INFORMAT', identity.send, {
      marginSeconds: config.http.tokenRefreshMarginSeconds,
      onRequest: (outcome) => metrics.tokenRequests.inc({ upstream: 'INFORMAT', outcome }),
    });
    const client = createInformatClient({ api, tokens, tokenUrl: c.tokenUrl, clientId: c.clientId, clientSecret: c.clientSecret, accessGroups: c.accessGroups, scopePrefix: c.scopePrefix });
    upstreams.informat = { client, transport: api, connections: c.accessGroups };
  }

  if (config.mapi) {
    const m = config.mapi;
    const transport = transportFor('MAPI', m.baseUrl);
    const client = createMapiClient({ connection: m.name, transport, username: m.username, password: m.password, batchCapabilitiesPath: m.batchCapabilitiesPath });
    upstreams.mapi = { client, transport, connections: [m.name] };
  }

  if (config.codabox) {
    const c = config.codabox;
    const transport = transportFor('CODABOX', c.baseUrl);
    const clients = new Map<string, ReturnType<typeof createCodaboxClient>>();
    const connections: string[] = [];
    const connect = (name: string, username: string, password: string, softwareKey = c.softwareKey) => {
      clients.set(name, createCodaboxClient({ connection: name, transport, softwareKey, username, password }));
      if (!connections.includes(name)) connections.push(name);
    };
    if (c.connection) connect(c.connection.name, c.connection.username, c.connection.password);
    for (const more of c.more) connect(more.name, more.username, more.password, more.softwareKey);
    // Connections claimed earlier come back from the store, opened with the credentials key.
    const claimed = await store.credentials.list('CODABOX');
    if (claimed.length && !config.credentialsKey) log.warn({ connections: claimed.map((x) => x.connection) }, 'claimed CodaBox credentials are stored but CREDENTIALS_KEY is not set: those connections are off');
    if (config.credentialsKey) {
      const box = new SecretBox(config.credentialsKey);
      for (const row of claimed) {
        try {
          const creds = JSON.parse(box.open(row.sealed)) as { username: string; password: string };
          connect(row.connection, creds.username, creds.password);
        } catch {
          log.error({ connection: row.connection }, 'stored CodaBox credentials cannot be opened with CREDENTIALS_KEY; the connection is off');
        }
      }
    }
    upstreams.codabox = { transport, clients, connections, onboarding: createCodaboxOnboarding(transport, c.softwareKey), connect };
  }

  const signer = createUrlSigner(config.downloads.signingKey, config.downloads.ttlSeconds);
  if (signer.ephemeralKey) log.warn('DOWNLOAD_SIGNING_KEY is not set: download links use a random key and stop working at restart (and on other replicas).');
  const once = createOnce(store.ledger, { leaseMs: config.idempotencyLeaseSeconds * 1000 });
  const auth = createAuthenticator(config.apiKeys);
  const { app } = await buildApp({ config, log, metrics, store, upstreams, signer, once, auth });
  const address = await app.listen({ port: opts.port ?? config.port, host: config.host });
  const url = config.publicUrl ?? address.replace('[::1]', 'localhost');

  return {
    url,
    listening: new URL(address).host,
    metrics,
    upstreams,
    async close() {
      await app.close();
      await Promise.all(transports.map((t) => t.close()));
      await store.close();
    },
  };
}
