import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeyConfig } from '../config.js';

export type Scope = 'read' | 'write';

/** Who is asking. Resolvers never read headers; they see this. */
export interface Caller {
  /** Stable identity; idempotency keys are scoped to it. */
  id: string;
  name: string;
  scopes: ReadonlySet<Scope>;
  /** Connection names this caller may use, or every configured one. */
  connections: ReadonlySet<string> | '*';
  /** True for the keyless loopback caller of the embedded default. */
  open: boolean;
}

export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Callers from API keys. Keys are compared as digests in constant time. */
export function createAuthenticator(keys: ApiKeyConfig[]) {
  const known = keys.map((k) => ({ ...k, digest: digest(k.key) }));
  const openCaller: Caller = { id: 'open-loopback', name: 'open access (no API keys configured)', scopes: new Set(['read', 'write']), connections: '*', open: true };

  return {
    open: known.length === 0,
    /** The caller of a request, from `Authorization: Bearer <key>` or `X-API-Key`. */
    authenticate(headers: Record<string, string | string[] | undefined>): Caller {
      if (known.length === 0) return openCaller;
      const auth = headers.authorization;
      const bearer = typeof auth === 'string' ? /^Bearer\s+(\S+)$/i.exec(auth)?.[1] : undefined;
      const header = headers['x-api-key'];
      const presented = bearer ?? (typeof header === 'string' ? header : undefined);
      if (!presented) throw new AuthenticationError('An API key is required: send `Authorization: Bearer <key>` or `X-API-Key: <key>`.');
      const d = digest(presented);
      const match = known.find((k) => timingSafeEqual(k.digest, d));
      if (!match) throw new AuthenticationError('The API key is not valid.');
      return {
        id: `key:${match.name}`,
        name: match.name,
        scopes: new Set(['read', 'write']),
        connections: match.connections === '*' ? '*' : new Set(match.connections),
        open: false,
      };
    },
  };
}
