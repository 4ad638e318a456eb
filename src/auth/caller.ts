import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeyConfig } from '../config.js';
import { createJwtVerifier, listClaim, type JwtSettings } from './jwt.js';
import { isScope, SCOPES } from './scopes.js';

/** What a request means to do with a connection: the access door's word (scopes are the schema's). */
export type Scope = 'read' | 'write';

/** Who is asking. Resolvers never read headers; they see this. */
export interface Caller {
  /** Stable identity; idempotency keys are scoped to it. */
  id: string;
  name: string;
  /** Scopes held (`invoices:read`, `admin`, …), checked by the schema's `@requiresScopes`. */
  scopes: ReadonlySet<string>;
  /** Connection names this caller may use, or every configured one. */
  connections: ReadonlySet<string> | '*';
  /** True for the keyless loopback caller of the embedded default. */
  open: boolean;
}

export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
}

const digest = (s: string) => createHash('sha256').update(s).digest();
const looksLikeJwt = (s: string) => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(s);

/**
 * Callers from API keys (compared as digests in constant time) and, when configured, from bearer
 * JWTs verified against a JWKS. A token's scopes are its standard `scope` claim (space-separated;
 * unknown ones ignored); its connections are the configured claim (`gateway_connections`), an array
 * or a space-separated string, `*` for all.
 */
export function createAuthenticator(keys: ApiKeyConfig[], jwt: JwtSettings | null = null) {
  const known = keys.map((k) => ({ ...k, digest: digest(k.key) }));
  const verify = jwt ? createJwtVerifier(jwt) : null;
  const openCaller: Caller = { id: 'open-loopback', name: 'open access (no authentication configured)', scopes: new Set(SCOPES), connections: '*', open: true };

  return {
    open: known.length === 0 && !verify,
    /** The caller of a request, from `Authorization: Bearer <key or JWT>` or `X-API-Key`. */
    async authenticate(headers: Record<string, string | string[] | undefined>): Promise<Caller> {
      if (known.length === 0 && !verify) return openCaller;
      const auth = headers.authorization;
      const bearer = typeof auth === 'string' ? /^Bearer\s+(\S+)$/i.exec(auth)?.[1] : undefined;
      const header = headers['x-api-key'];
      const presented = bearer ?? (typeof header === 'string' ? header : undefined);
      if (!presented) throw new AuthenticationError('A credential is required: send `Authorization: Bearer <key or token>` or `X-API-Key: <key>`.');
      if (verify && bearer && looksLikeJwt(bearer)) {
        const checked = await verify(bearer);
        if (!checked.ok) throw new AuthenticationError(`The bearer token is refused: ${checked.reason}.`);
        const p = checked.payload;
        const connections = listClaim(p[jwt!.connectionsClaim]);
        return {
          id: `jwt:${p.iss}:${p.sub ?? ''}`,
          name: p.sub ?? 'token',
          scopes: new Set(listClaim(p.scope).filter(isScope)),
          connections: connections.includes('*') ? '*' : new Set(connections),
          open: false,
        };
      }
      const d = digest(presented);
      const match = known.find((k) => timingSafeEqual(k.digest, d));
      if (!match) throw new AuthenticationError('The API key is not valid.');
      return { id: `key:${match.name}`, name: match.name, scopes: new Set(match.scopes), connections: match.connections === '*' ? '*' : new Set(match.connections), open: false };
    },
  };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;
