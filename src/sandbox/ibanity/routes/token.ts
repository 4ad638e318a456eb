import { randomBytes } from 'node:crypto';
import type { SandboxRequest, SandboxServer } from '../../server.js';
import { errors } from '../jsonapi.js';

export interface Application {
  clientId: string;
  clientSecret: string;
}

/**
 * `POST /einvoicing/oauth2/token`: Basic client id/secret and a form `grant_type=client_credentials`,
 * answered Keycloak-style with 300 s tokens; every other route needs one of them as a bearer.
 * (The client certificate is checked before any of this, by TLS.)
 */
export function registerTokenRoutes(server: SandboxServer, app: Application, opts: { ttlSeconds: number; now: () => number }) {
  const tokens = new Map<string, number>();
  server.route('POST /einvoicing/oauth2/token', (req) => {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(String(req.headers.authorization ?? ''));
    const [id, ...secret] = m ? Buffer.from(m[1]!, 'base64').toString('utf8').split(':') : [];
    if (id !== app.clientId || secret.join(':') !== app.clientSecret) return { status: 401, body: { error: 'invalid_client', error_description: 'Invalid client or Invalid client credentials' } };
    const form = new URLSearchParams(req.body.toString('utf8'));
    if (form.get('grant_type') !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'Unsupported grant_type' } };
    const token = randomBytes(24).toString('base64url');
    tokens.set(token, opts.now() + opts.ttlSeconds * 1000);
    return { status: 200, body: { access_token: token, expires_in: opts.ttlSeconds, refresh_expires_in: 0, token_type: 'Bearer', 'not-before-policy': 0, scope: 'email profile' } };
  });
  /** Null when the request carries a live token; the 401 otherwise. */
  return (req: SandboxRequest) => {
    const m = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
    const until = m ? tokens.get(m[1]!) : undefined;
    if (until !== undefined && until > opts.now()) return null;
    return errors(401, { code: 'unauthorized', detail: m ? 'The access token expired or is unknown' : 'An access token is required' });
  };
}
