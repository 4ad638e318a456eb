import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, ConfigError, loadConfig } from '../../src/config.js';
import { SCOPES } from '../../src/auth/scopes.js';

describe('configuration', () => {
  it('has working defaults: sandbox, loopback, port 4000, open access', () => {
    const c = loadConfig({});
    expect(c.port).toBe(4000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.sandbox.enabled).toBe(true);
    expect(c.sources.INFORMAT).toBeNull();
    expect(c.apiKeys).toEqual([]);
  });

  it('names the variable of a bad value', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ UPSTREAM_MAX_CONCURRENCY: '0' })).toThrow(/UPSTREAM_MAX_CONCURRENCY/);
    expect(() => loadConfig({ API_KEYS: 'short:abc' })).toThrow(/API_KEYS/);
    expect(() => loadConfig({ INFORMAT_CLIENT_ID: 'x' })).toThrow(/INFORMAT_CLIENT_SECRET/);
  });

  it('refuses to serve without keys on a non-loopback address unless told to', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(ConfigError);
    expect(loadConfig({ HOST: '0.0.0.0', ALLOW_OPEN_ACCESS: 'true' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0', API_KEYS: 'ops:0123456789abcdef0123' }).apiKeys).toEqual([{ name: 'ops', key: '0123456789abcdef0123', connections: '*', scopes: [...SCOPES] }]);
  });

  it('reads a key\'s scopes after its connections, and refuses an unknown scope', () => {
    expect(loadConfig({ API_KEYS: 'reader:0123456789abcdef0123:*:invoices:read|parties:read' }).apiKeys[0]).toMatchObject({ connections: '*', scopes: ['invoices:read', 'parties:read'] });
    expect(() => loadConfig({ API_KEYS: 'reader:0123456789abcdef0123:*:invoices:write' })).toThrow(/"invoices:write" of key reader is not a scope/);
  });

  it('refuses real upstreams without authentication unless open access is asked for, and a JWKS without issuer and audience', () => {
    expect(() => loadConfig({ MAPI_USERNAME: 'u', MAPI_PASSWORD: 'p' })).toThrow(/No authentication is configured/);
    expect(loadConfig({ MAPI_USERNAME: 'u', MAPI_PASSWORD: 'p', ALLOW_OPEN_ACCESS: 'true' }).sandbox.enabled).toBe(false);
    expect(() => loadConfig({ AUTH_JWKS_URL: 'https://idp.example/jwks' })).toThrow(/AUTH_ISSUER and AUTH_AUDIENCE are required/);
    expect(loadConfig({ MAPI_USERNAME: 'u', MAPI_PASSWORD: 'p', AUTH_JWKS_URL: 'https://idp.example/jwks', AUTH_ISSUER: 'https://idp.example/', AUTH_AUDIENCE: 'gateway' }).jwt).toMatchObject({ issuer: 'https://idp.example/', audience: 'gateway', clockSkewSeconds: 30, connectionsClaim: 'gateway_connections' });
  });

  it('turns the sandbox off when Informat is configured, and reads a file under the environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'gateway.json');
    writeFileSync(file, JSON.stringify({ PORT: 5000, ALLOW_OPEN_ACCESS: true, INFORMAT_CLIENT_ID: 'id', INFORMAT_CLIENT_SECRET: 's', INFORMAT_ACCESS_GROUPS: ['a_1', 'b_2'] }));
    const c = loadConfig({ GATEWAY_CONFIG_FILE: file, PORT: '5001' });
    expect(c.port).toBe(5001);
    expect(c.sandbox.enabled).toBe(false);
    expect(c.sources.INFORMAT?.accessGroups).toEqual(['a_1', 'b_2']);
    writeFileSync(file, JSON.stringify({ NOT_AN_OPTION: 1 }));
    expect(() => loadConfig({ GATEWAY_CONFIG_FILE: file })).toThrow(/NOT_AN_OPTION/);
  });

  it('reads several CodaBox connections, each with its own software key', () => {
    const c = loadConfig({ ALLOW_OPEN_ACCESS: 'true', CODABOX_CONNECTIONS: JSON.stringify([{ name: 'acme', softwareKey: 'k1', username: 'u', password: 'p' }, { name: 'shop', softwareKey: 'k2', username: 'v', password: 'q' }]) });
    expect(c.sources.CODABOX?.more.map((m) => [m.name, m.softwareKey])).toEqual([['acme', 'k1'], ['shop', 'k2']]);
    expect(c.sandbox.enabled).toBe(false);
    expect(() => loadConfig({ CODABOX_CONNECTIONS: '{nope' })).toThrow(/CODABOX_CONNECTIONS/);
    expect(() => loadConfig({ CODABOX_CONNECTIONS: JSON.stringify([{ name: 'a b', username: 'u', password: 'p' }]) })).toThrow(/CODABOX_CONNECTIONS/);
  });

  it('refuses a port out of range, access groups without Informat credentials, and grants of unknown sources, naming the option', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT: must be a TCP port/);
    expect(() => loadConfig({ INFORMAT_ACCESS_GROUPS: 'foo' })).toThrow(/INFORMAT_ACCESS_GROUPS is set but INFORMAT_CLIENT_ID is not/);
    expect(() => loadConfig({ API_KEYS: 'k:0123456789abcdef0123:CODEBOX/acme' })).toThrow(/API_KEYS: "CODEBOX\/acme" of key k names no source/);
    expect(loadConfig({ API_KEYS: 'k:0123456789abcdef0123:CODABOX/acme|MAPI/*|ag_1' }).apiKeys[0]!.connections).toEqual(['CODABOX/acme', 'MAPI/*', 'ag_1']);
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
  });

  it('has limits that let the README\'s work through and stop the hostile shapes', () => {
    const { limits } = loadConfig({});
    expect(limits).toMatchObject({ maxQueryBytes: 100_000, maxTokens: 5000, maxDepth: 15, maxAliases: 50, maxRootFields: 20, maxCost: 50_000, maxUpstreamRequests: 1000, operationTimeoutMs: 25_000 });
    expect(() => loadConfig({ MAX_QUERY_DEPTH: '1' })).toThrow(/MAX_QUERY_DEPTH/);
  });

  it('documents every option in the README configuration table', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const missing = CONFIG_KEYS.filter((k) => !readme.includes(`\`${k}\``));
    expect(missing).toEqual([]);
  });
});
