import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import type { SourceName } from './domain/globalId.js';
import { bool, ConfigError, int, list } from './configOptions.js';
import { isScope, SCOPES, type ScopeName } from './auth/scopes.js';
import type { JwtSettings } from './auth/jwt.js';
import type { RateLimitSettings } from './server/rateLimits.js';
import { configureSources, sourceOptions, type SourceConfigs } from './sources/registry.js';

export { ConfigError } from './configOptions.js';

/**
 * Configuration comes from environment variables, optionally from a JSON file named by
 * GATEWAY_CONFIG_FILE that holds the same keys (the environment wins). Every option, its default
 * and meaning is listed in the README's configuration table; keep the two in step.
 */

const ApiKey = z
  .string()
  .regex(
    /^[A-Za-z0-9_.-]+:[^\s:]{16,}(:[A-Za-z0-9_.|*/-]+(:[a-z|:]+)?)?$/,
    'expected name:key[:connection|connection[:scope|scope]] with a key of at least 16 characters; a connection is SOURCE/name, SOURCE/* or a configured name; a scope is like invoices:read',
  );

/** The server's own options; each source adds its section (`sources/<name>/config.ts`). */
const ServerOptions = {
  PORT: z.coerce.number().int().min(0).max(65535, 'must be a TCP port (0 to 65535)').default(4000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: z.url().optional(),
  TRUSTED_PROXIES: list,
  CORS_ORIGINS: list,
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  DATABASE_POOL_SIZE: int(10, 1),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  API_KEYS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(ApiKey)),
  ALLOW_OPEN_ACCESS: bool(false),
  AUTH_JWKS_URL: z.url().optional(),
  AUTH_JWKS_FILE: z.string().optional(),
  AUTH_ISSUER: z.string().optional(),
  AUTH_AUDIENCE: z.string().optional(),
  AUTH_CLOCK_SKEW_SECONDS: int(30),
  AUTH_CONNECTIONS_CLAIM: z.string().default('gateway_connections'),
  AUTH_JWKS_COOLDOWN_SECONDS: int(30),
  RATE_LIMIT_REQUESTS_PER_MINUTE: int(1200),
  RATE_LIMIT_COST_PER_MINUTE: int(500_000),
  RATE_LIMIT_STORE: z.string().regex(/^(memory|postgres|rediss?:\/\/.+)$/, 'must be memory, postgres or a redis:// URL').default('memory'),
  VALIDATION_ARTEFACTS_DIR: z.string().optional(),
  VALIDATION_CACHE_DIR: z.string().optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).max(100).default('be-einvoicing-gateway'),
  TRUSTED_DOCUMENTS_FILE: z.string().optional(),
  TRUSTED_DOCUMENTS_ONLY: bool(false),
  INTROSPECTION: bool(true),
  EXECUTION: z.enum(['compiled', 'graphql-js']).default('compiled'),
  CACHE_TTL_SECONDS: z
    .string()
    .default('INFORMAT=5,CODABOX=30')
    .transform((s, ctx) => {
      const out: Record<string, number> = {};
      // An empty option falls back to the default, so "no cache at all" needs a word of its own.
      if (s.trim() === 'off') return out;
      for (const part of s.split(',').map((x) => x.trim()).filter(Boolean)) {
        const m = /^(INFORMAT|MAPI|CODABOX|IBANITY)=(\d{1,5})$/.exec(part);
        if (!m) {
          ctx.addIssue({ code: 'custom', message: `"${part}" is not SOURCE=seconds (sources INFORMAT, MAPI, CODABOX, IBANITY)` });
          return z.NEVER;
        }
        out[m[1]!] = Number(m[2]);
      }
      return out;
    }),
  CACHE_URL: z.string().regex(/^rediss?:\/\/.+/, 'must be a redis:// URL').optional(),
  CACHE_MAX_MB: int(64, 1),
  SANDBOX: z.enum(['auto', 'true', 'false']).default('auto'),
  SANDBOX_SEED: int(42),
  SANDBOX_INVOICES_PER_GROUP: int(120, 1),
  SANDBOX_PDF_DELAY_MS: int(2000),
  SANDBOX_TOKEN_TTL_SECONDS: int(3600, 1),
  SANDBOX_LATENCY_MS: int(0),
  SANDBOX_MAPI_PARTIES: int(2400),
  CAPABILITY_CACHE_TTL_SECONDS: int(300),
  CAPABILITY_PENDING_RETRIES: int(2),
  CAPABILITY_PENDING_DELAY_MS: int(250),
  CAPABILITY_DEADLINE_MS: int(3000, 1),
  CAPABILITY_VAT_FALLBACK: bool(true),
  AUTO_CHANNEL_ORDER: z
    .string()
    .default('IBANITY,MAPI')
    .transform((s) => s.split(',').map((x) => x.trim().toUpperCase()).filter(Boolean))
    .pipe(z.array(z.enum(['IBANITY', 'MAPI'])).min(1)),
  SANDBOX_IBANITY_STEP_MS: int(2000, 0),
  UPSTREAM_CONNECT_TIMEOUT_MS: int(5000, 1),
  UPSTREAM_HEADERS_TIMEOUT_MS: int(15000, 1),
  UPSTREAM_BODY_TIMEOUT_MS: int(30000, 1),
  UPSTREAM_RETRIES: int(2),
  UPSTREAM_RETRY_BASE_MS: int(100),
  UPSTREAM_RETRY_MAX_MS: int(2000),
  UPSTREAM_MAX_CONCURRENCY: int(32, 1),
  BREAKER_FAILURE_THRESHOLD: int(5, 1),
  BREAKER_RESET_MS: int(10000, 1),
  TOKEN_REFRESH_MARGIN_SECONDS: int(60),
  DOWNLOAD_SIGNING_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  CREDENTIALS_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  DOWNLOAD_URL_TTL_SECONDS: int(300, 1),
  MAX_PAGE_SIZE: int(500, 1),
  MAX_QUERY_BYTES: int(100_000, 100),
  MAX_QUERY_TOKENS: int(5_000, 10),
  MAX_QUERY_DEPTH: int(15, 2),
  MAX_ALIASES: int(50, 0),
  MAX_ROOT_FIELDS: int(20, 1),
  MAX_QUERY_COST: int(50_000, 1),
  QUERY_COST_LIST_SIZE: int(10, 1),
  MAX_UPSTREAM_REQUESTS: int(1000, 1),
  OPERATION_TIMEOUT_MS: int(25_000, 100),
  UPSTREAM_MAX_BODY_BYTES: int(32 * 1024 * 1024, 1024),
  IDEMPOTENCY_LEASE_SECONDS: int(120, 1),
  SHUTDOWN_GRACE_MS: int(10000),
  GATEWAY_CONFIG_FILE: z.string().optional(),
};
const EnvSchema = z.object({ ...ServerOptions, ...sourceOptions() });

export type Env = z.infer<typeof EnvSchema>;

export interface ApiKeyConfig {
  name: string;
  key: string;
  /** Connection names this key may use; `*` for all. */
  connections: string[] | '*';
  /** What the key may do (README, *Security*); every scope when none is given. */
  scopes: ScopeName[];
}

export interface Config {
  port: number;
  host: string;
  publicUrl: string | null;
  dataDir: string;
  /** PostgreSQL for several replicas; null: the SQLite file in DATA_DIR. */
  database: { url: string; poolSize: number } | null;
  logLevel: Env['LOG_LEVEL'];
  apiKeys: ApiKeyConfig[];
  /** Bearer JWTs verified against a JWKS; null: API keys only. */
  jwt: JwtSettings | null;
  /** A token that opens /metrics and /readyz's detail, besides keys with `admin`. */
  metricsToken: string | null;
  /** OpenTelemetry: traces exported over OTLP/HTTP to this endpoint; null: off. */
  tracing: { endpoint: string | null; serviceName: string };
  /** Persisted operations: the manifest, and whether only its operations may run. */
  trustedDocuments: { file: string | null; only: boolean };
  /** Introspection and field suggestions in error messages. */
  introspection: boolean;
  /** How operations run: compiled once per document (graphql-jit), or graphql-js's interpreter. */
  execution: 'compiled' | 'graphql-js';
  /** Upstream reads kept across operations: seconds per source (absent or 0: none), and where. */
  cache: { ttlSeconds: Partial<Record<SourceName, number>>; url: string | null; maxBytes: number };
  rateLimits: RateLimitSettings;
  /** A folder laid out like shared/validation-artefacts: validateDocument then runs the official rules too. */
  validationArtefactsDir: string | null;
  /** Where the compiled official rules are kept (DATA_DIR/validation-cache by default). */
  validationCacheDir: string;
  allowOpenAccess: boolean;
  sandbox: {
    enabled: boolean;
    seed: number;
    invoicesPerGroup: number;
    pdfDelayMs: number;
    tokenTtlSeconds: number;
    latencyMs: number;
    mapiParties: number;
    ibanityStepMs: number;
    /** Where the sandbox keeps what must survive a restart (the Ibanity sandbox's CA). */
    dataDir: string;
  };
  /** Each source's section; null when neither configured nor provided by the sandbox. */
  sources: SourceConfigs;
  /** Key that seals claimed credentials in the store; claiming is refused without it. */
  credentialsKey: string | null;
  capabilities: { cacheTtlSeconds: number; pendingRetries: number; pendingDelayMs: number; deadlineMs: number; vatFallback: boolean };
  /** With channel AUTO, which network sends when several can deliver, in order. */
  autoChannelOrder: SourceName[];
  http: {
    timeouts: { connectMs: number; headersMs: number; bodyMs: number };
    retry: { retries: number; baseDelayMs: number; maxDelayMs: number };
    breaker: { failureThreshold: number; resetAfterMs: number };
    maxConcurrency: number;
    maxBodyBytes: number;
    tokenRefreshMarginSeconds: number;
  };
  downloads: { signingKey: string | null; ttlSeconds: number };
  maxPageSize: number;
  /** What one operation may ask; checked before execution (text, shape, cost) and during it (requests, deadline). */
  limits: {
    maxQueryBytes: number;
    maxTokens: number;
    maxDepth: number;
    maxAliases: number;
    maxRootFields: number;
    maxCost: number;
    defaultListSize: number;
    maxUpstreamRequests: number;
    operationTimeoutMs: number;
  };
  /** Addresses or CIDR ranges whose X-Forwarded-* headers are believed; empty: none. */
  trustedProxies: string[];
  /** Origins a browser may call from (CORS); empty: CORS is off. */
  corsOrigins: string[];
  idempotencyLeaseSeconds: number;
  shutdownGraceMs: number;
}

function readFileValues(path: string): Record<string, string> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`GATEWAY_CONFIG_FILE: cannot read ${path}: ${(err as Error).message}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`GATEWAY_CONFIG_FILE: ${path} must hold a JSON object`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!(k in EnvSchema.shape)) throw new ConfigError(`GATEWAY_CONFIG_FILE: unknown option ${k} in ${path}`);
    out[k] = Array.isArray(v) ? v.join(',') : String(v);
  }
  return out;
}

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127\./.test(host);

/** Validates the environment (and file); a bad value throws a ConfigError naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const fromEnv = Object.fromEntries(Object.entries(env).filter(([k, v]) => k in EnvSchema.shape && v !== undefined && v !== ''));
  const file = fromEnv.GATEWAY_CONFIG_FILE;
  const merged = { ...(file ? readFileValues(file) : {}), ...fromEnv };
  const parsed = EnvSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;

  const sources = configureSources(e);
  // The sandbox stands in for everything only when no real upstream is configured at all.
  const sandbox = e.SANDBOX === 'true' || (e.SANDBOX === 'auto' && Object.values(sources).every((c) => c === null));

  const apiKeys = e.API_KEYS.map((entry): ApiKeyConfig => {
    const [name, key, conns, ...scopeParts] = entry.split(':') as [string, string, string | undefined, ...string[]];
    for (const grant of conns?.split('|') ?? []) {
      const source = grant.includes('/') ? grant.split('/')[0]! : null;
      if (source !== null && !['INFORMAT', 'MAPI', 'CODABOX', 'IBANITY'].includes(source)) throw new ConfigError(`API_KEYS: "${grant}" of key ${name} names no source (INFORMAT, MAPI, CODABOX or IBANITY before the /)`);
    }
    // Scopes contain a colon themselves (invoices:read): everything after the third colon.
    const scopes = scopeParts.length ? scopeParts.join(':').split('|').filter(Boolean) : [...SCOPES];
    for (const scope of scopes) if (!isScope(scope)) throw new ConfigError(`API_KEYS: "${scope}" of key ${name} is not a scope (${SCOPES.join(', ')})`);
    return { name, key, connections: !conns || conns === '*' ? '*' : conns.split('|'), scopes: scopes as ScopeName[] };
  });
  const jwt = e.AUTH_JWKS_URL || e.AUTH_JWKS_FILE ? { jwksUrl: e.AUTH_JWKS_URL ?? null, jwksFile: e.AUTH_JWKS_FILE ?? null, issuer: e.AUTH_ISSUER ?? '', audience: e.AUTH_AUDIENCE ?? '', clockSkewSeconds: e.AUTH_CLOCK_SKEW_SECONDS, connectionsClaim: e.AUTH_CONNECTIONS_CLAIM, jwksCooldownSeconds: e.AUTH_JWKS_COOLDOWN_SECONDS } : null;
  if (jwt && (!jwt.issuer || !jwt.audience)) throw new ConfigError('AUTH_ISSUER and AUTH_AUDIENCE are required with AUTH_JWKS_URL or AUTH_JWKS_FILE: a token of any issuer or audience is never accepted');
  if (e.RATE_LIMIT_STORE === 'postgres' && !e.DATABASE_URL) throw new ConfigError('RATE_LIMIT_STORE=postgres counts in the store\'s PostgreSQL: set DATABASE_URL');
  if (e.VALIDATION_ARTEFACTS_DIR && !existsSync(join(resolve(process.cwd(), e.VALIDATION_ARTEFACTS_DIR), 'peppol', 'PEPPOL-EN16931-UBL.sch'))) {
    throw new ConfigError(`VALIDATION_ARTEFACTS_DIR: ${e.VALIDATION_ARTEFACTS_DIR} has no peppol/PEPPOL-EN16931-UBL.sch (lay it out like the project's validation-artefacts folder)`);
  }
  if (e.AUTH_JWKS_URL && e.AUTH_JWKS_FILE) throw new ConfigError('AUTH_JWKS_URL and AUTH_JWKS_FILE: set one');
  const authConfigured = apiKeys.length > 0 || jwt !== null;
  // Real upstreams without any authentication: refused unless asked for explicitly.
  if (!authConfigured && !sandbox && !e.ALLOW_OPEN_ACCESS) {
    throw new ConfigError('No authentication is configured (API_KEYS, or AUTH_JWKS_URL/AUTH_JWKS_FILE) while real upstreams are: set one, or ALLOW_OPEN_ACCESS=true to serve open anyway');
  }
  if (new Set(apiKeys.map((k) => k.key)).size !== apiKeys.length) throw new ConfigError('API_KEYS: two callers share one key');
  if (!authConfigured && !isLoopback(e.HOST) && !e.ALLOW_OPEN_ACCESS) {
    throw new ConfigError(`API_KEYS: required when HOST (${e.HOST}) is not a loopback address; set ALLOW_OPEN_ACCESS=true to serve without keys anyway`);
  }

  if (e.TRUSTED_DOCUMENTS_ONLY && !e.TRUSTED_DOCUMENTS_FILE) throw new ConfigError('TRUSTED_DOCUMENTS_ONLY needs TRUSTED_DOCUMENTS_FILE: the manifest of the operations that may run.');
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, '') ?? null,
    dataDir: isAbsolute(e.DATA_DIR) ? e.DATA_DIR : resolve(process.cwd(), e.DATA_DIR),
    database: e.DATABASE_URL ? { url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE } : null,
    logLevel: e.LOG_LEVEL,
    apiKeys,
    jwt,
    metricsToken: e.METRICS_TOKEN ?? null,
    tracing: { endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT ?? null, serviceName: e.OTEL_SERVICE_NAME },
    trustedDocuments: { file: e.TRUSTED_DOCUMENTS_FILE ? resolve(process.cwd(), e.TRUSTED_DOCUMENTS_FILE) : null, only: e.TRUSTED_DOCUMENTS_ONLY },
    introspection: e.INTROSPECTION,
    execution: e.EXECUTION,
    cache: { ttlSeconds: e.CACHE_TTL_SECONDS, url: e.CACHE_URL ?? null, maxBytes: e.CACHE_MAX_MB * 1024 * 1024 },
    validationArtefactsDir: e.VALIDATION_ARTEFACTS_DIR ? resolve(process.cwd(), e.VALIDATION_ARTEFACTS_DIR) : null,
    validationCacheDir: resolve(process.cwd(), e.VALIDATION_CACHE_DIR ?? join(e.DATA_DIR, 'validation-cache')),
    rateLimits: { requestsPerMinute: e.RATE_LIMIT_REQUESTS_PER_MINUTE, costPerMinute: e.RATE_LIMIT_COST_PER_MINUTE, store: e.RATE_LIMIT_STORE },
    allowOpenAccess: e.ALLOW_OPEN_ACCESS,
    sandbox: {
      enabled: sandbox,
      seed: e.SANDBOX_SEED,
      invoicesPerGroup: e.SANDBOX_INVOICES_PER_GROUP,
      pdfDelayMs: e.SANDBOX_PDF_DELAY_MS,
      tokenTtlSeconds: e.SANDBOX_TOKEN_TTL_SECONDS,
      latencyMs: e.SANDBOX_LATENCY_MS,
      mapiParties: e.SANDBOX_MAPI_PARTIES,
      ibanityStepMs: e.SANDBOX_IBANITY_STEP_MS,
      dataDir: isAbsolute(e.DATA_DIR) ? e.DATA_DIR : resolve(process.cwd(), e.DATA_DIR),
    },
    sources,
    credentialsKey: e.CREDENTIALS_KEY ?? null,
    capabilities: {
      cacheTtlSeconds: e.CAPABILITY_CACHE_TTL_SECONDS,
      pendingRetries: e.CAPABILITY_PENDING_RETRIES,
      pendingDelayMs: e.CAPABILITY_PENDING_DELAY_MS,
      deadlineMs: e.CAPABILITY_DEADLINE_MS,
      vatFallback: e.CAPABILITY_VAT_FALLBACK,
    },
    http: {
      timeouts: { connectMs: e.UPSTREAM_CONNECT_TIMEOUT_MS, headersMs: e.UPSTREAM_HEADERS_TIMEOUT_MS, bodyMs: e.UPSTREAM_BODY_TIMEOUT_MS },
      retry: { retries: e.UPSTREAM_RETRIES, baseDelayMs: e.UPSTREAM_RETRY_BASE_MS, maxDelayMs: e.UPSTREAM_RETRY_MAX_MS },
      breaker: { failureThreshold: e.BREAKER_FAILURE_THRESHOLD, resetAfterMs: e.BREAKER_RESET_MS },
      maxConcurrency: e.UPSTREAM_MAX_CONCURRENCY,
      maxBodyBytes: e.UPSTREAM_MAX_BODY_BYTES,
      tokenRefreshMarginSeconds: e.TOKEN_REFRESH_MARGIN_SECONDS,
    },
    downloads: { signingKey: e.DOWNLOAD_SIGNING_KEY ?? null, ttlSeconds: e.DOWNLOAD_URL_TTL_SECONDS },
    maxPageSize: e.MAX_PAGE_SIZE,
    limits: {
      maxQueryBytes: e.MAX_QUERY_BYTES,
      maxTokens: e.MAX_QUERY_TOKENS,
      maxDepth: e.MAX_QUERY_DEPTH,
      maxAliases: e.MAX_ALIASES,
      maxRootFields: e.MAX_ROOT_FIELDS,
      maxCost: e.MAX_QUERY_COST,
      defaultListSize: e.QUERY_COST_LIST_SIZE,
      maxUpstreamRequests: e.MAX_UPSTREAM_REQUESTS,
      operationTimeoutMs: e.OPERATION_TIMEOUT_MS,
    },
    trustedProxies: e.TRUSTED_PROXIES,
    autoChannelOrder: e.AUTO_CHANNEL_ORDER,
    corsOrigins: e.CORS_ORIGINS,
    idempotencyLeaseSeconds: e.IDEMPOTENCY_LEASE_SECONDS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
  };
}

/** The names of every option, for the README check. */
export const CONFIG_KEYS = Object.keys(EnvSchema.shape);
