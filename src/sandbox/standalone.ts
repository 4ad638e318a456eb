import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../config.js';
import type { SourceName } from '../domain/globalId.js';
import { SOURCES } from '../sources/registry.js';
import type { StartedSandbox } from '../sources/types.js';

/**
 * `npm run sandbox`: the four simulators alone, so several gateway replicas (and other people's
 * clients) can share one set of simulated upstreams. Prints the environment that points a gateway at
 * them, one `NAME=value` line each, on stdout (logs go to stderr); multi-line values (Ibanity's
 * certificate and key) are written to files in the data directory and printed as their paths.
 *
 * SANDBOX_BASE_PORT (default 0: free ports) fixes the ports: Informat identity +0, Informat API +1,
 * MAPI +2, CodaBox +3, Ibanity +4. SANDBOX_DATA_DIR (default ./sandbox-data) keeps Ibanity's CA.
 * SANDBOX_IBANITY_WEBHOOK_URL is where Ibanity's webhooks go (a gateway's /webhooks/ibanity).
 * SANDBOX_SEED and the other SANDBOX_* options apply as for the embedded default.
 */
const env = process.env;
const base = Number(env.SANDBOX_BASE_PORT ?? 0);
const port = (offset: number) => (base > 0 ? base + offset : 0);
const dataDir = resolve(env.SANDBOX_DATA_DIR ?? './sandbox-data');
const log = pino({ level: env.LOG_LEVEL ?? 'info' }, pino.destination(2));

const OPTIONS: Partial<Record<SourceName, Record<string, unknown>>> = {
  INFORMAT: { identityPort: port(0), apiPort: port(1) },
  MAPI: { port: port(2) },
  CODABOX: { port: port(3) },
  IBANITY: { port: port(4), ...(env.SANDBOX_IBANITY_WEBHOOK_URL ? { webhookUrl: env.SANDBOX_IBANITY_WEBHOOK_URL } : {}) },
};

async function main() {
  const config = loadConfig({ SANDBOX: 'true', ...Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('SANDBOX_'))) });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const settings = { ...config.sandbox, dataDir };
  const started: StartedSandbox<unknown>[] = [];
  const lines: string[] = ['SANDBOX=false', 'ALLOW_OPEN_ACCESS=true'];
  for (const source of SOURCES) {
    if (!source.sandbox) continue;
    const sandbox = await source.sandbox();
    const s = await sandbox.start(settings, log, OPTIONS[source.name]);
    started.push(s);
    for (const [name, value] of Object.entries(sandbox.env(s.handle))) {
      if (!value.includes('\n')) {
        lines.push(`${name}=${value}`);
        continue;
      }
      const file = join(dataDir, `${name.toLowerCase()}.pem`);
      writeFileSync(file, value, { mode: 0o600 });
      chmodSync(file, 0o600);
      lines.push(`${name}=${file}`);
    }
    log.info(s.urls, `${source.name} simulator listening`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  log.info('simulators ready; the lines on stdout point a gateway at them (npm run -s sandbox > sandbox.env, then env $(cat sandbox.env) npm start). Ctrl-C stops them.');
  const stop = async () => {
    for (const s of started.reverse()) await s.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
