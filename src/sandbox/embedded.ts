import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { SOURCES, type SourceConfigs } from '../sources/registry.js';

/**
 * The embedded default: every source's simulator on loopback, and the configuration that points
 * the gateway at them, for each source not configured for real. `main.ts` loads this module only
 * when the sandbox is on, and each simulator is loaded through its source's `sandbox()`.
 */
export async function startEmbeddedSandboxes(config: Config, log: Logger): Promise<{ config: Config; attach(gatewayUrl: string): void; close(): Promise<void> }> {
  const closers: (() => Promise<void>)[] = [];
  const attachers: ((url: string) => void)[] = [];
  const sources: Record<string, unknown> = { ...config.sources };
  const urls: Record<string, string> = {};
  for (const source of SOURCES) {
    if (sources[source.name] || !source.sandbox) continue;
    const started = await (await source.sandbox()).start(config.sandbox, log);
    sources[source.name] = started.config;
    Object.assign(urls, started.urls);
    closers.push(started.close);
    if (started.attach) attachers.push(started.attach);
  }
  log.info(urls, `sandbox upstreams started (${SOURCES.filter((s) => s.sandbox).map((s) => s.name).join(', ')})`);
  let next: Config = { ...config, sources: sources as unknown as SourceConfigs };

  if (!next.credentialsKey) {
    // The quick start can claim CodaBox credentials: a key kept beside the store, readable by this user only.
    const keyFile = join(next.dataDir, 'credentials.key');
    mkdirSync(next.dataDir, { recursive: true, mode: 0o700 });
    if (!existsSync(keyFile)) writeFileSync(keyFile, randomBytes(32).toString('base64url'), { mode: 0o600 });
    next = { ...next, credentialsKey: readFileSync(keyFile, 'utf8').trim() };
    log.warn({ keyFile }, 'CREDENTIALS_KEY is not set: claimed credentials are sealed with a key generated in DATA_DIR (sandbox only; set CREDENTIALS_KEY in production)');
  }

  return {
    config: next,
    attach: (url) => attachers.forEach((a) => a(url)),
    async close() {
      for (const close of closers.reverse()) await close();
    },
  };
}
