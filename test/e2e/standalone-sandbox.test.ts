import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startGateway, type Gateway } from '../../src/gateway.js';

/**
 * `npm run sandbox` on its own: the simulators in their own process, and a gateway configured only
 * from the NAME=value lines it prints, as an operator would paste them.
 */
let child: ChildProcess;
let gateway: Gateway;
const dir = mkdtempSync(join(tmpdir(), 'gw-standalone-'));

beforeAll(async () => {
  child = spawn(process.execPath, ['--import', 'tsx', 'src/sandbox/standalone.ts'], { env: { ...process.env, SANDBOX_DATA_DIR: join(dir, 'sandbox'), LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const env = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no environment printed:\n${out}`)), 60_000);
    child.stdout!.on('data', (d) => {
      out += d;
      if (/^IBANITY_SUPPLIERS=.*$/m.test(out)) {
        clearTimeout(timer);
        resolve(Object.fromEntries(out.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])));
      }
    });
    child.on('exit', (code) => reject(new Error(`sandbox exited (${code}):\n${out}`)));
  });
  expect(Object.keys(env)).toEqual(expect.arrayContaining(['INFORMAT_API_URL', 'MAPI_BASE_URL', 'CODABOX_BASE_URL', 'IBANITY_API_URL', 'IBANITY_CERT']));
  gateway = await startGateway(loadConfig({ ...env, PORT: '0', DATA_DIR: join(dir, 'gateway'), LOG_LEVEL: 'silent' }), { log: pino({ level: 'silent' }) });
}, 90_000);
afterAll(async () => {
  await gateway?.close();
  child?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

it('serves a gateway configured only from the printed lines, every source answering', async () => {
  const res = await fetch(`${gateway.url}/readyz`);
  const body = (await res.json()) as { ready: boolean; checks: { source: string; ok: boolean }[] };
  expect(body.ready).toBe(true);
  expect(new Set(body.checks.map((c) => c.source))).toEqual(new Set(['STORE', 'INFORMAT', 'MAPI', 'CODABOX', 'IBANITY']));
  const q = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ party(identifier: "BE0840559537") { sources capabilities { reachable } } }' }) });
  expect(((await q.json()) as any).data.party).toEqual({ sources: ['CODABOX', 'IBANITY'], capabilities: { reachable: true } });
});
