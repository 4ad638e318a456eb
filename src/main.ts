import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger, startGateway } from './gateway.js';
import { startInformatSandbox } from './sandbox/informat/index.js';
import { MAPI_SANDBOX_USERS, startMapiSandbox } from './sandbox/mapi/index.js';
import { startCodaboxSandbox } from './sandbox/codabox/index.js';

/**
 * `npm start`: reads the configuration, starts the sandbox upstreams when no real ones are
 * configured, starts the gateway and prints where GraphiQL is. SIGTERM/SIGINT drain and stop.
 */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  const closers: (() => Promise<void>)[] = [];

  if (config.sandbox.enabled) {
    const sandbox = await startInformatSandbox({
      seed: config.sandbox.seed,
      invoicesPerGroup: config.sandbox.invoicesPerGroup,
      pdfDelayMs: config.sandbox.pdfDelayMs,
      tokenTtlSeconds: config.sandbox.tokenTtlSeconds,
    });
    sandbox.api.latencyMs = config.sandbox.latencyMs;
    closers.push(() => sandbox.close());
    config = {
      ...config,
      informat: config.informat ?? {
        apiUrl: sandbox.apiUrl,
        tokenUrl: `${sandbox.identityUrl}/connect/token`,
        clientId: sandbox.client.clientId,
        clientSecret: sandbox.client.clientSecret,
        accessGroups: sandbox.accessGroups,
        scopePrefix: 'api_informat_invoices.invoices.read.',
      },
    };
    const mapi = await startMapiSandbox({ seed: config.sandbox.seed, bulkParties: config.sandbox.mapiParties });
    mapi.server.latencyMs = config.sandbox.latencyMs;
    closers.push(() => mapi.close());
    const user = MAPI_SANDBOX_USERS[0]!;
    config = {
      ...config,
      mapi: config.mapi ?? { name: 'mapi', baseUrl: mapi.url, username: user.username, password: user.password, batchCapabilitiesPath: '/parties/transactions', fallbackEmail: 'invoices@sandbox.example' },
    };
    const codabox = await startCodaboxSandbox({ seed: config.sandbox.seed });
    codabox.server.latencyMs = config.sandbox.latencyMs;
    closers.push(() => codabox.close());
    const fiduciary = codabox.users[0]!;
    config = {
      ...config,
      codabox: config.codabox ?? { baseUrl: codabox.url, softwareKey: codabox.softwareKey, connection: { name: 'codabox', username: fiduciary.username, password: fiduciary.password }, more: [] },
    };
    log.info({ informatApi: sandbox.apiUrl, informatIdentity: sandbox.identityUrl, mapi: mapi.url, codabox: codabox.url }, 'sandbox upstreams started (Informat, MAPI, CodaBox)');
  }

  if (config.sandbox.enabled && !config.credentialsKey) {
    // The quick start can claim CodaBox credentials: a key kept beside the store, readable by this user only.
    const keyFile = join(config.dataDir, 'credentials.key');
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    if (!existsSync(keyFile)) writeFileSync(keyFile, randomBytes(32).toString('base64url'), { mode: 0o600 });
    config = { ...config, credentialsKey: readFileSync(keyFile, 'utf8').trim() };
    log.warn({ keyFile }, 'CREDENTIALS_KEY is not set: claimed credentials are sealed with a key generated in DATA_DIR (sandbox only; set CREDENTIALS_KEY in production)');
  }

  const gateway = await startGateway(config, { log });
  closers.unshift(() => gateway.close());

  const lines = [
    '',
    `  GraphiQL:  ${gateway.url}/graphql`,
    `  Health:    ${gateway.url}/healthz   ${gateway.url}/readyz   Metrics: ${gateway.url}/metrics`,
    config.sandbox.enabled ? '  Upstreams: embedded sandbox (Informat, MAPI, CodaBox) with generated data' : '  Upstreams: as configured',
    config.apiKeys.length === 0
      ? `  Access:    OPEN — no API keys configured; anyone who can reach ${gateway.listening} may call it. Set API_KEYS before exposing it.`
      : `  Access:    API keys required (${config.apiKeys.length} configured)`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: draining requests');
    const timer = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownGraceMs);
    timer.unref();
    for (const close of closers) await close().catch((err: unknown) => log.error({ err }, 'error while closing'));
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
