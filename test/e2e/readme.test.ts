import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startGateway, type Gateway } from '../../src/gateway.js';
import { startEmbeddedSandboxes } from '../../src/sandbox/embedded.js';

/**
 * Every GraphQL block of the README, in order, against the embedded default exactly as `npm start`
 * builds it (no configuration at all). A `json` block right after a `graphql` block holds its
 * variables. An example that stops working, or that only works with a placeholder filled in,
 * fails here.
 */
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

interface Example {
  query: string;
  variables?: Record<string, unknown>;
  line: number;
}

function examples(): Example[] {
  const out: Example[] = [];
  const block = /```(\w+)\n([\s\S]*?)```/g;
  let last: Example | null = null;
  let lastEnd = -1;
  for (let m = block.exec(readme); m; m = block.exec(readme)) {
    const line = readme.slice(0, m.index).split('\n').length;
    if (m[1] === 'graphql') {
      last = { query: m[2]!, line };
      out.push(last);
    } else if (m[1] === 'json' && last && /^\s*$/.test(readme.slice(lastEnd, m.index))) {
      last.variables = JSON.parse(m[2]!) as Record<string, unknown>;
    }
    lastEnd = m.index + m[0].length;
  }
  return out;
}

/** Every `userErrors` list in an answer, wherever it stands. */
function userErrors(value: unknown): unknown[] {
  if (!value || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap(userErrors);
  return Object.entries(value).flatMap(([k, v]) => (k === 'userErrors' && Array.isArray(v) ? v : userErrors(v)));
}

let gateway: Gateway;
let closeSandboxes: () => Promise<void>;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gw-readme-'));
  const log = pino({ level: 'silent' });
  const embedded = await startEmbeddedSandboxes(loadConfig({ PORT: '0', DATA_DIR: dataDir, SANDBOX_PDF_DELAY_MS: '50' }), log);
  closeSandboxes = () => embedded.close();
  gateway = await startGateway(embedded.config, { log });
});
afterAll(async () => {
  await gateway?.close();
  await closeSandboxes?.();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('README examples', () => {
  const all = examples();

  it('has examples, none with a placeholder', () => {
    expect(all.length).toBeGreaterThanOrEqual(12);
    for (const e of all) expect(e.query, `README line ${e.line}`).not.toMatch(/<[a-z ]+(id|ID)>|"…"|"\.\.\."/);
  });

  it.each(all.map((e) => [e.line, e] as const))('the block at README line %i runs unchanged on the embedded default', async (_line, e) => {
    const res = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: e.query, variables: e.variables }) });
    const body = (await res.json()) as { data?: unknown; errors?: unknown[] };
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    expect(res.status).toBe(200);
    expect(userErrors(body.data)).toEqual([]);
  });
});
