import type { InformatSandbox } from '../../src/sandbox/informat/index.js';
import { MAPI_SANDBOX_USERS, type MapiSandbox } from '../../src/sandbox/mapi/index.js';
import type { CodaboxSandbox } from '../../src/sandbox/codabox/index.js';

/**
 * The environment that points a gateway process at running sandboxes, as an operator would write it.
 * Tests and benchmarks configure the gateway through this rather than through the embedded mode, so that the
 * configuration path real deployments use is the one exercised.
 */
export function gatewayEnvFor(s: { informat: InformatSandbox; mapi: MapiSandbox; codabox: CodaboxSandbox }, accessGroups = s.informat.accessGroups): Record<string, string> {
  return {
    SANDBOX: 'false',
    INFORMAT_API_URL: s.informat.apiUrl,
    INFORMAT_TOKEN_URL: `${s.informat.identityUrl}/connect/token`,
    INFORMAT_CLIENT_ID: s.informat.client.clientId,
    INFORMAT_CLIENT_SECRET: s.informat.client.clientSecret,
    INFORMAT_ACCESS_GROUPS: accessGroups.join(','),
    MAPI_BASE_URL: s.mapi.url,
    MAPI_USERNAME: MAPI_SANDBOX_USERS[0]!.username,
    MAPI_PASSWORD: MAPI_SANDBOX_USERS[0]!.password,
    CODABOX_BASE_URL: s.codabox.url,
    CODABOX_SOFTWARE_KEY: s.codabox.softwareKey,
    CODABOX_USERNAME: s.codabox.users[0]!.username,
    CODABOX_PASSWORD: s.codabox.users[0]!.password,
  };
}
