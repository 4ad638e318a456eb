import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger, startGateway } from './gateway.js';

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
  let attach: ((url: string) => void) | null = null;

  if (config.sandbox.enabled) {
    // Loaded only when on: production runs never load simulator code.
    const { startEmbeddedSandboxes } = await import('./sandbox/embedded.js');
    const embedded = await startEmbeddedSandboxes(config, log);
    config = embedded.config;
    attach = embedded.attach;
    closers.push(() => embedded.close());
  }

  const gateway = await startGateway(config, { log });
  closers.unshift(() => gateway.close());
  // The sandbox's webhooks go to the gateway just started (its own loopback address).
  attach?.(`http://${gateway.listening}`);

  const lines = [
    '',
    `  GraphiQL:  ${gateway.url}/graphql`,
    `  Health:    ${gateway.url}/healthz   ${gateway.url}/readyz   Metrics: ${gateway.url}/metrics`,
    config.sandbox.enabled ? `  Upstreams: embedded sandbox (Informat, Ibanity, MAPI, CodaBox) with generated data; CodaBox's mailed tokens: ${config.sources.CODABOX?.baseUrl}/sandbox/outbox/` : '  Upstreams: as configured',
    config.apiKeys.length === 0 && !config.jwt
      ? `  Access:    OPEN — no API keys or JWKS configured; anyone who can reach ${gateway.listening} may call it. Set API_KEYS or AUTH_JWKS_URL before exposing it.`
      : `  Access:    ${[config.apiKeys.length ? `${config.apiKeys.length} API key(s)` : null, config.jwt ? `JWTs of ${config.jwt.issuer}` : null].filter(Boolean).join(' and ')} required`,
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
