import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack.close());

describe('GraphiQL', () => {
  it('is served at GET /graphql to browsers, from local assets only', async () => {
    const res = await fetch(`${stack.gateway.url}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    // No CDN: every script and stylesheet is a path on the gateway itself.
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThanOrEqual(4);
    for (const ref of refs) {
      expect(ref.startsWith('/')).toBe(true);
      const asset = await fetch(`${stack.gateway.url}${ref}`);
      expect(asset.status).toBe(200);
      expect(Number(asset.headers.get('content-length') ?? (await asset.arrayBuffer()).byteLength)).toBeGreaterThan(1000);
    }
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1|localhost)/);
    // The key typed into the headers pane stays out of the browser's storage unless the user turns it on.
    expect(html).toContain('shouldPersistHeaders: false, showPersistHeadersSettings: true');
  });

  it('redirects / to /graphql', async () => {
    const res = await fetch(`${stack.gateway.url}/`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/graphql');
  });

  it('still answers GraphQL GET requests from programs', async () => {
    const res = await fetch(`${stack.gateway.url}/graphql?query=${encodeURIComponent('{ connections { source } }')}`, {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).data.connections[0].source).toBe('INFORMAT');
  });

  it('describes every type and field of the schema', async () => {
    const { body } = await stack.gql('{ __schema { types { name kind description fields { name description } } } }');
    const missing: string[] = [];
    for (const t of body.data.__schema.types) {
      if (t.name.startsWith('__') || ['String', 'Boolean', 'Int', 'Float', 'ID'].includes(t.name)) continue;
      if (!t.description) missing.push(t.name);
      for (const f of t.fields ?? []) if (!f.description) missing.push(`${t.name}.${f.name}`);
    }
    expect(missing).toEqual([]);
  });
});

describe('operations endpoints', () => {
  it('/healthz says the process is alive', async () => {
    const res = await fetch(`${stack.gateway.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz checks the store and each configured upstream connection', async () => {
    const res = await fetch(`${stack.gateway.url}/readyz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.ready).toBe(true);
    expect(body.checks.map((c: any) => c.source).sort()).toEqual(['CODABOX', 'IBANITY', 'IBANITY', 'INFORMAT', 'INFORMAT', 'MAPI', 'STORE']);
  });

  it('/readyz answers 503 naming the connection when Informat is down', async () => {
    const down = await startStack();
    down.sandbox.api.inject('POST /graphql', { status: 503 });
    const res = await fetch(`${down.gateway.url}/readyz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as any;
    expect(body.ready).toBe(false);
    expect(body.checks.filter((c: any) => !c.ok).map((c: any) => c.source)).toEqual(['INFORMAT', 'INFORMAT']);
    await down.close();
  });

  it('/readyz answers 503 naming MAPI and the CodaBox connection when they are down, Informat still ready', async () => {
    const down = await startStack();
    try {
      down.mapi.server.inject('GET /messages', { status: 503 });
      down.codabox.server.inject('GET /delivery/pod-client/', { status: 503 });
      const res = await fetch(`${down.gateway.url}/readyz`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as any;
      expect(body.checks.filter((c: any) => !c.ok).map((c: any) => `${c.source}:${c.name}`).sort()).toEqual(['CODABOX:codabox', 'MAPI:mapi']);
      expect(body.checks.filter((c: any) => c.source === 'INFORMAT').every((c: any) => c.ok)).toBe(true);
    } finally {
      await down.close();
    }
  });

  it('/metrics exposes upstream requests, latency, tokens, retries and breaker state', async () => {
    await stack.gql('{ invoiceGroups(accessGroup: "f451ca37-411c-49ea-a544-29598ea22b82_123456", schoolYear: "2020-21") { name } }');
    const text = await (await fetch(`${stack.gateway.url}/metrics`)).text();
    expect(text).toMatch(/gateway_upstream_requests_total\{upstream="INFORMAT",route="POST \/graphql",status="200"\} \d+/);
    expect(text).toContain('gateway_upstream_request_duration_seconds_bucket');
    expect(text).toMatch(/gateway_upstream_token_requests_total\{upstream="INFORMAT",outcome="ok"\} \d+/);
    expect(text).toContain('gateway_upstream_retries_total');
    expect(text).toMatch(/gateway_upstream_breaker_state\{upstream="INFORMAT"\} 0/);
    expect(text).not.toContain(stack.sandbox.client.clientSecret);
  });
});

describe('npm start', () => {
  it('starts through `npm start` on the embedded sandbox, prints the GraphiQL URL, serves a query, and SIGTERM to npm stops the gateway', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gw-start-'));
    // What a container runtime or process manager does: start `npm start`, signal npm's process.
    const child = spawn('npm', ['start', '--silent'], {
      env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', SANDBOX_INVOICES_PER_GROUP: '5', NODE_ENV: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed:\n${out}`)), 20_000);
      child.stdout.on('data', () => {
        const m = /GraphiQL:\s+(http:\/\/\S+)\/graphql/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    expect(out).toContain('OPEN');
    // PORT=0: the banner names the port chosen, not 0.
    expect(out).toContain(`anyone who can reach ${new URL(url).host} may call it`);
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ invoiceGroups(accessGroup: "f451ca37-411c-49ea-a544-29598ea22b82_123456", schoolYear: "2020-21") { name } }' }),
    });
    expect(((await res.json()) as any).data.invoiceGroups).toHaveLength(2);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Drained and gone, not orphaned and still serving.
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    // The store is the owner's alone.
    expect(statSync(dataDir).mode & 0o077).toBe(0);
    expect(statSync(join(dataDir, 'gateway.sqlite')).mode & 0o077).toBe(0);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a bad configuration value, naming the variable', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...process.env, PORT: 'eighty' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(err).toContain('PORT');
  });
});
