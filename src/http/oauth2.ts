import { z } from 'zod';
import type { AuthProvider, Layer, Send } from './types.js';
import { fromStatus, malformed, UpstreamError } from './errors.js';
import { currentOperation, outsideOperation, untilAborted } from './operation.js';

const TokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
  token_type: z.string(),
  scope: z.string().optional(),
});

export interface ClientCredentials {
  /** Path of the token endpoint on the identity origin, e.g. `/connect/token`. */
  tokenPath: string;
  /** Used only in the cache key, so that two identity servers never share tokens. */
  tokenOrigin: string;
  clientId: string;
  clientSecret: string;
  /** Empty: no scope is asked (Ibanity's tokens take none). */
  scope: string;
  /** Where the client authenticates: in the form body (default) or with HTTP Basic (Ibanity). */
  clientAuth?: 'body' | 'basic';
}

interface Entry {
  token: string;
  refreshAt: number;
  expiresAt: number;
}

/**
 * OAuth2 client-credentials tokens, cached per token URL + client id + scope. A token is renewed
 * `marginSeconds` before it expires; concurrent callers share one in-flight request for it.
 * The client secret is only ever put in the token request (form body, or Basic header).
 */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<Entry>>();

  constructor(
    private readonly source: string,
    private readonly send: Send,
    private readonly opts: { marginSeconds: number; onRequest: (outcome: 'ok' | 'error') => void; now?: () => number },
  ) {}

  provider(creds: ClientCredentials): AuthProvider {
    const key = `${creds.tokenOrigin}${creds.tokenPath}|${creds.clientId}|${creds.scope}`;
    return {
      identity: key,
      token: () => this.token(key, creds),
      invalidate: (token) => {
        if (this.entries.get(key)?.token === token) this.entries.delete(key);
      },
    };
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private async token(key: string, creds: ClientCredentials): Promise<string> {
    const cached = this.entries.get(key);
    if (cached && this.now() < cached.refreshAt) return cached.token;
    let pending = this.inflight.get(key);
    if (!pending) {
      // Shared by every operation waiting for this token, so no one operation's deadline or
      // request cap may cut it short; each waiter gives up at its own deadline instead.
      pending = outsideOperation(() => this.fetch(creds)).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    const op = currentOperation();
    const route = `POST ${creds.tokenPath}`;
    const entry = await untilAborted(pending, op?.signal, () =>
      new UpstreamError(`${this.source} did not issue a token within the operation's deadline (${route})`, { code: 'UPSTREAM_TIMEOUT', source: this.source, route }),
    );
    this.entries.set(key, entry);
    return entry.token;
  }

  private async fetch(creds: ClientCredentials): Promise<Entry> {
    const route = `POST ${creds.tokenPath}`;
    const basic = creds.clientAuth === 'basic';
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      ...(basic ? {} : { client_id: creds.clientId, client_secret: creds.clientSecret }),
      ...(creds.scope ? { scope: creds.scope } : {}),
    }).toString();
    try {
      const res = await this.send({
        method: 'POST',
        path: creds.tokenPath,
        route,
        idempotent: true,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        ...(basic ? { basic: { username: creds.clientId, password: creds.clientSecret } } : {}),
        body,
      });
      const text = await res.body.text();
      if (res.status !== 200) {
        // The identity server's error body (`{"error":"invalid_scope"}`) names the problem without secrets.
        throw fromStatus(res.status === 400 ? 401 : res.status, this.source, route, text.slice(0, 200));
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (err) {
        throw malformed(this.source, route, 'token response is not JSON', err);
      }
      const parsed = TokenResponse.safeParse(json);
      if (!parsed.success) throw malformed(this.source, route, 'token response lacks access_token/expires_in');
      const now = this.now();
      const lifetime = parsed.data.expires_in * 1000;
      const margin = Math.min(this.opts.marginSeconds * 1000, lifetime / 2);
      this.opts.onRequest('ok');
      return { token: parsed.data.access_token, expiresAt: now + lifetime, refreshAt: now + lifetime - margin };
    } catch (err) {
      this.opts.onRequest('error');
      throw err;
    }
  }
}

/** Adds `Authorization: Basic` from the request's credentials. */
export const withBasic: Layer = (next) => (req) => {
  if (!req.basic) return next(req);
  const { basic, ...rest } = req;
  return next({ ...rest, headers: { ...req.headers, authorization: `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}` } });
};

/**
 * Adds `Authorization: Bearer`. When the API answers 401 anyway (token revoked or expired early),
 * the token is dropped, a fresh one fetched, and the request sent once more; a second 401 is final.
 */
export const withBearer: Layer = (next) => async (req) => {
  if (!req.auth) return next(req);
  const auth = req.auth;
  const token = await auth.token();
  const res = await next({ ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } });
  if (res.status !== 401) return res;
  await res.body.dump();
  auth.invalidate(token);
  const fresh = await auth.token();
  return next({ ...req, headers: { ...req.headers, authorization: `Bearer ${fresh}` } });
};

