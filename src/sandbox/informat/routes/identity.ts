import { randomBytes } from 'node:crypto';
import { SandboxServer } from '../../server.js';

export interface SandboxClient {
  clientId: string;
  clientSecret: string;
  /** Scopes this client may request, one per access group. */
  scopes: string[];
}

export interface IssuedToken {
  clientId: string;
  scope: string;
  expiresAt: number;
}

/** Scope prefix of the document; the access group identifier follows it. */
export const READ_SCOPE_PREFIX = 'api_informat_invoices.invoices.read.';

/**
 * Informat's identity server: client credentials, exactly one scope per token ("Doing a request
 * for multiple scopes is currently not possible"), tokens that expire.
 */
export function createIdentityServer(clients: SandboxClient[], opts: { tokenTtlSeconds: number; now: () => number }) {
  const server = new SandboxServer('informat-identity');
  const tokens = new Map<string, IssuedToken>();
  const oauthError = (error: string, description?: string) => ({ status: 400, body: { error, ...(description ? { error_description: description } : {}) } });

  server.route('POST /connect/token', (req) => {
    const type = String(req.headers['content-type'] ?? '');
    if (!type.startsWith('application/x-www-form-urlencoded')) return oauthError('invalid_request', 'form-encoded body expected');
    const form = new URLSearchParams(req.body.toString('utf8'));
    if (form.get('grant_type') !== 'client_credentials') return oauthError('unsupported_grant_type');
    const client = clients.find((c) => c.clientId === form.get('client_id'));
    if (!client || client.clientSecret !== form.get('client_secret')) return oauthError('invalid_client');
    const scope = (form.get('scope') ?? '').trim();
    if (!scope) return oauthError('invalid_scope', 'exactly one scope is required');
    if (/\s/.test(scope)) return oauthError('invalid_scope', 'requesting several scopes in one token is not possible');
    if (!client.scopes.includes(scope)) return oauthError('invalid_scope');
    const token = randomBytes(24).toString('base64url');
    tokens.set(token, { clientId: client.clientId, scope, expiresAt: opts.now() + opts.tokenTtlSeconds * 1000 });
    return { status: 200, body: { access_token: token, expires_in: opts.tokenTtlSeconds, token_type: 'Bearer', scope } };
  });

  return {
    server,
    /** The token's grant, or why it is refused. */
    check(authorization: string | undefined): IssuedToken | 'missing' | 'invalid' {
      const m = /^bearer\s+(\S+)$/i.exec(authorization ?? '');
      if (!m) return 'missing';
      const t = tokens.get(m[1]!);
      if (!t || t.expiresAt <= opts.now()) return 'invalid';
      return t;
    },
    /** Makes every issued token expire now, as if the clock had run past their lifetime. */
    expireAll(): void {
      for (const t of tokens.values()) t.expiresAt = 0;
    },
  };
}
