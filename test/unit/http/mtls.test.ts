import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson, type Transport, type TransportOptions } from '../../../src/http/index.js';
import { testTransport } from '../../helpers/transport.js';
import { SandboxServer } from '../../../src/sandbox/server.js';
import { sandboxPki, type SandboxPki } from '../../../src/sandbox/tls.js';

/**
 * Client certificates (mTLS, as Ibanity demands) through the one transport: a simulator over HTTPS
 * that refuses any connection without a client certificate its CA signed.
 */
let pki: SandboxPki;
let other: SandboxPki;
let server: SandboxServer;
let url: string;
const transports: Transport[] = [];
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gw-pki-'));
  pki = await sandboxPki(dir);
  other = await sandboxPki();
  server = new SandboxServer('mtls');
  server.route('GET /ping', () => ({ status: 200, body: { ok: true } }));
  url = await server.listen(0, '127.0.0.1', { cert: pki.server.certPem, key: pki.server.keyPem, ca: pki.caPem });
});
afterAll(async () => {
  await Promise.all(transports.map((t) => t.close()));
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const transport = (tls: TransportOptions['tls']) =>
  testTransport(transports, url, { source: 'IBANITY', tls, timeouts: { connectMs: 2000, headersMs: 2000, bodyMs: 2000 }, retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
const ping = (t: Transport) => t.send({ method: 'GET', path: '/ping', route: 'GET /ping', idempotent: true });

describe('client certificates', () => {
  it('connects with the client certificate the CA signed', async () => {
    const res = await ping(transport({ cert: pki.client.certPem, key: pki.client.keyPem, ca: pki.caPem }));
    expect(res.status).toBe(200);
    expect(await readJson(res, 'IBANITY', 'GET /ping')).toEqual({ ok: true });
  });

  it('fails with UPSTREAM_UNAVAILABLE naming TLS without a client certificate, or with one of another CA', async () => {
    await expect(ping(transport({ ca: pki.caPem }))).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: expect.stringMatching(/TLS/) });
    await expect(ping(transport({ cert: other.client.certPem, key: other.client.keyPem, ca: pki.caPem }))).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: expect.stringMatching(/TLS/) });
  });

  it('refuses a server its CA did not sign', async () => {
    await expect(ping(transport({ cert: pki.client.certPem, key: pki.client.keyPem, ca: other.caPem }))).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: expect.stringMatching(/TLS/) });
  });

  it('keeps the sandbox CA in its folder, owner-only, and loads the same one again', async () => {
    expect(statSync(join(dir, 'sandbox-pki.json')).mode & 0o077).toBe(0);
    expect((await sandboxPki(dir)).caPem).toBe(pki.caPem);
  });
});
