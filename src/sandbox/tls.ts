import { webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata polyfill first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

/**
 * A private certificate authority for a simulator that demands client certificates (Ibanity's mTLS):
 * a CA, a server certificate for 127.0.0.1/localhost and a client certificate for the gateway, all
 * signed by the CA. Kept in a folder when one is given, so a restarted sandbox keeps its CA and the
 * gateway's configured certificate stays valid.
 */
export interface SandboxPki {
  caPem: string;
  server: { certPem: string; keyPem: string };
  client: { certPem: string; keyPem: string };
}

const crypto = webcrypto;
x509.cryptoProvider.set(crypto as never);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const YEAR = 365 * 24 * 3600 * 1000;

type Key = webcrypto.CryptoKey;

const keyPem = async (key: Key) => {
  const der = Buffer.from(await crypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
};

async function issue(subject: string, issuer: { name: string; key: Key }, usage: 'server' | 'client') {
  const keys = await crypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: Buffer.from(crypto.getRandomValues(new Uint8Array(8))).toString('hex'),
    subject,
    issuer: issuer.name,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + YEAR),
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: issuer.key,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
      ...(usage === 'server' ? [new x509.SubjectAlternativeNameExtension([{ type: 'ip', value: '127.0.0.1' }, { type: 'dns', value: 'localhost' }])] : []),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await keyPem(keys.privateKey) };
}

/** Makes a CA with a server and a client certificate; with `dir`, loads them from there or stores them there (owner-only). */
export async function sandboxPki(dir?: string): Promise<SandboxPki> {
  const file = dir ? join(dir, 'sandbox-pki.json') : null;
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as SandboxPki;
  const caKeys = await crypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const caName = 'CN=Gateway sandbox CA';
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: caName,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 5 * YEAR),
    signingAlgorithm: ALG,
    keys: caKeys,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
  });
  const pki: SandboxPki = {
    caPem: ca.toString('pem'),
    server: await issue('CN=localhost', { name: caName, key: caKeys.privateKey }, 'server'),
    client: await issue('CN=gateway sandbox client', { name: caName, key: caKeys.privateKey }, 'client'),
  };
  if (file && dir) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(file, JSON.stringify(pki), { mode: 0o600 });
  }
  return pki;
}
