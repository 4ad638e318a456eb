import { createHash, timingSafeEqual } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { outsideOperation } from '../../http/index.js';
import type { WebhooksCapability } from '../types.js';
import type { IbanityClient } from './client.js';
import { WireEvent, type WireEvent as Event } from './wire.js';

/** How long the webhook keys are reused, and how often an unknown key id may make them be fetched again. */
const KEYS_TTL_MS = 30_000;
const CLOCK_SKEW_SECONDS = 30;

/**
 * Ibanity's webhook signature, checked as its SDK does: the `Signature` header is a JWT signed RS512
 * with a key of `GET /webhooks/keys` (matched by `kid`, `use: sig`, `status: ACTIVE`), within its
 * `iat`/`exp` (30 s skew), for this application (`aud` = the application id, `iss` = Ibanity's API,
 * as ibanity-ruby's and ibanity-java's webhook verification check them), and its `digest` claim is the
 * base64 SHA-512 of the raw body, so a body changed in transit fails.
 */
export function ibanityWebhooks(client: IbanityClient, expect: { audience: string; issuer: string }, onEvent: (event: Event) => Promise<void>, now: () => number = Date.now): WebhooksCapability {
  let keys: { at: number; set: ReturnType<typeof createLocalJWKSet>; kids: Set<string> } | null = null;
  const load = async (force: boolean) => {
    if (keys && now() - keys.at < KEYS_TTL_MS && !force) return keys;
    if (keys && force && now() - keys.at < 1000) return keys;
    const jwks = await outsideOperation(() => client.webhookKeys());
    const usable = jwks.keys.filter((k) => (k.use ?? 'sig') === 'sig' && (k.status ?? 'ACTIVE').toUpperCase() === 'ACTIVE');
    keys = { at: now(), set: createLocalJWKSet({ keys: usable } as unknown as JSONWebKeySet), kids: new Set(usable.map((k) => k.kid)) };
    return keys;
  };

  return {
    async verify(headers, rawBody) {
      const signature = headers.signature;
      if (typeof signature !== 'string' || !signature) return { ok: false, reason: 'no Signature header' };
      let kid: string | undefined;
      try {
        const header = decodeProtectedHeader(signature);
        if (header.alg !== 'RS512') return { ok: false, reason: `signature algorithm ${String(header.alg)} is not RS512` };
        kid = header.kid;
      } catch {
        return { ok: false, reason: 'Signature is not a JWT' };
      }
      if (!kid) return { ok: false, reason: 'signature names no key (kid)' };
      let k = await load(false);
      if (!k.kids.has(kid)) k = await load(true);
      if (!k.kids.has(kid)) return { ok: false, reason: `key ${kid} is not an active Ibanity webhook key` };
      let digest: unknown;
      try {
        const { payload } = await jwtVerify(signature, k.set, { algorithms: ['RS512'], audience: expect.audience, issuer: expect.issuer, clockTolerance: CLOCK_SKEW_SECONDS, currentDate: new Date(now()), requiredClaims: ['exp', 'iat', 'digest'] });
        if (typeof payload.iat === 'number' && payload.iat * 1000 > now() + CLOCK_SKEW_SECONDS * 1000) return { ok: false, reason: 'signature issued in the future' };
        digest = payload.digest;
      } catch (err) {
        return { ok: false, reason: `signature does not verify: ${(err as Error).message}` };
      }
      const want = createHash('sha512').update(rawBody).digest();
      const got = typeof digest === 'string' ? Buffer.from(digest, 'base64') : Buffer.alloc(0);
      if (got.length !== want.length || !timingSafeEqual(got, want)) return { ok: false, reason: 'body digest does not match the signature' };
      let event: Event;
      try {
        const parsed = WireEvent.safeParse(JSON.parse(rawBody.toString('utf8')));
        if (!parsed.success) return { ok: false, reason: 'body is not an Ibanity event' };
        event = parsed.data;
      } catch {
        return { ok: false, reason: 'body is not JSON' };
      }
      return { ok: true, id: event.data.id, type: event.data.type, event };
    },
    handle: (event) => onEvent(event as Event),
  };
}
