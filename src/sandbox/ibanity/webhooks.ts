import { createHash, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

/**
 * Ibanity's webhooks as the simulator sends them: a JSON:API event POSTed to the subscriber with a
 * `Signature` header, an RS512 JWT whose `digest` claim is the base64 SHA-512 of the body, signed
 * with a key the JWKS (`GET /webhooks/keys`) publishes.
 */

export interface Delivery {
  eventId: string;
  type: string;
  status: number | 'error';
  at: number;
}

export interface WebhookSender {
  /** The public keys, as `GET /webhooks/keys` serves them. */
  jwks(): { keys: JWK[] };
  /** Where events go; null: nowhere (recorded only). */
  target: string | null;
  /** Every delivery tried, for tests. */
  readonly deliveries: Delivery[];
  /** Every event made, delivered or not. */
  readonly events: { id: string; type: string; body: string }[];
  /** Signs a body as the sandbox does; tests use the options to forge bad ones. */
  sign(body: string, opts?: { expiresInSeconds?: number; issuedAt?: number; digestOf?: string; issuer?: string; audience?: string }): Promise<string>;
  emit(type: string, relationships: Record<string, { id: string; type: string }>): Promise<void>;
}

/** The issuer Ibanity's webhook JWTs name: its API's base URI (ibanity-ruby checks `iss` against it). */
export const WEBHOOK_ISSUER = 'https://api.ibanity.com';

export async function createWebhookSender(opts: { audience: string; now: () => number }): Promise<WebhookSender> {
  const { publicKey, privateKey } = await generateKeyPair('RS512', { modulusLength: 2048 });
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS512', use: 'sig', status: 'ACTIVE' };
  const deliveries: Delivery[] = [];
  const events: WebhookSender['events'] = [];

  const sender: WebhookSender = {
    jwks: () => ({ keys: [jwk] }),
    target: null,
    deliveries,
    events,
    async sign(body, o = {}) {
      const iat = o.issuedAt ?? Math.floor(opts.now() / 1000);
      return new SignJWT({ digest: createHash('sha512').update(o.digestOf ?? body).digest('base64') })
        .setProtectedHeader({ alg: 'RS512', kid, typ: 'JWT' })
        .setIssuer(o.issuer ?? WEBHOOK_ISSUER)
        .setAudience(o.audience ?? opts.audience)
        .setJti(randomUUID())
        .setIssuedAt(iat)
        .setExpirationTime(iat + (o.expiresInSeconds ?? 60))
        .sign(privateKey);
    },
    async emit(type, relationships) {
      const id = randomUUID();
      const body = JSON.stringify({
        data: {
          id,
          type,
          attributes: { createdAt: new Date(opts.now()).toISOString() },
          relationships: Object.fromEntries(Object.entries(relationships).map(([k, v]) => [k, { data: v }])),
        },
      });
      events.push({ id, type, body });
      const target = sender.target;
      if (!target) return;
      try {
        const res = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/vnd.api+json', signature: await sender.sign(body) }, body, signal: AbortSignal.timeout(5000) });
        await res.arrayBuffer();
        deliveries.push({ eventId: id, type, status: res.status, at: opts.now() });
      } catch {
        deliveries.push({ eventId: id, type, status: 'error', at: opts.now() });
      }
    },
  };
  return sender;
}
