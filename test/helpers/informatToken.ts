import { READ_SCOPE_PREFIX, type InformatSandbox } from '../../src/sandbox/informat/index.js';

/** A read token for one access group from the Informat sandbox's identity server, for calls made straight to its API. */
export async function informatToken(sandbox: Pick<InformatSandbox, 'identityUrl' | 'client'>, accessGroup: string): Promise<string> {
  const res = await fetch(`${sandbox.identityUrl}/connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sandbox.client.clientId, client_secret: sandbox.client.clientSecret, scope: READ_SCOPE_PREFIX + accessGroup }),
  });
  if (!res.ok) throw new Error(`the Informat sandbox refused a token: ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}
