import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

/**
 * What the container image runs, without a Docker engine (none runs here): `npm run build`, then
 * the image's CMD (`node --max-semi-space-size=32 dist/src/start.js`) with its production settings, a query, and SIGTERM draining to exit 0.
 */
const dir = mkdtempSync(join(tmpdir(), 'gw-image-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('builds, serves from dist/ with production settings, answers, and drains on SIGTERM', async () => {
  await promisify(execFile)('npm', ['run', '-s', 'build'], { maxBuffer: 16 * 1024 * 1024 });
  const key = 'image-key-0123456789abcdef';
  // The image's ENV, with a loopback host (this test's machine) and a key, as the README's run command gives.
  // The image's own command line (its CMD), with this machine's node.
  const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(readFileSync('Dockerfile', 'utf8'))![1]!) as string[];
  expect(cmd[0]).toBe('node');
  const child = spawn(process.execPath, cmd.slice(1), { env: { PATH: process.env.PATH, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', DATA_DIR: dir, API_KEYS: `ops:${key}`, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start:\n${out}`)), 60_000);
    child.stdout.on('data', () => {
      const m = /GraphiQL:\s+(http:\/\/\S+)\/graphql/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query: '{ connections { source } }' }) });
  expect(((await res.json()) as any).data.connections.length).toBeGreaterThan(3);
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  child.kill('SIGTERM');
  expect(await exit).toBe(0);
}, 120_000);
