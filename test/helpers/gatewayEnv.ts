import { SOURCES } from '../../src/sources/registry.js';
import type { SourceName } from '../../src/domain/globalId.js';

/**
 * The environment that points a gateway process at running simulators, as an operator would write it,
 * from each source's own `sandbox().env(...)`. Tests and benchmarks configure the gateway through this
 * rather than through the embedded mode, so that the configuration path real deployments use is the
 * one exercised.
 */
export async function gatewayEnvFor(handles: Partial<Record<SourceName, unknown>>): Promise<Record<string, string>> {
  // Simulators, not real upstreams: serving them without authentication is asked for explicitly.
  // No response cache: tests count upstream calls per operation and change the simulators' data
  // between operations; the cache's own tests turn it on.
  const env: Record<string, string> = { SANDBOX: 'false', ALLOW_OPEN_ACCESS: 'true', CACHE_TTL_SECONDS: 'off' };
  for (const s of SOURCES) {
    const handle = handles[s.name];
    if (handle && s.sandbox) Object.assign(env, (await s.sandbox()).env(handle));
  }
  return env;
}
