import { SecretBox } from '../../store/secrets.js';
import type { Connection, ConnectDeps, OnboardingCapability, SourceRuntime } from '../types.js';
import { createCodaboxClient, createCodaboxOnboarding, SOURCE, type CodaboxClient } from './client.js';
import type { CodaboxConfig } from './config.js';
import { codaboxFeeds } from './feeds.js';

const feedsAndRecords = (name: string, client: Parameters<typeof codaboxFeeds>[1]) => {
  const { records, ...feeds } = codaboxFeeds(name, client);
  return { feeds, records };
};
import { codaboxUploads } from './uploads.js';
import { codaboxParties } from './parties.js';
import { accessErrorCode } from './errors.js';

/** How often stored claims are read again, for connections claimed on other replicas. */
const CLAIMS_REFRESH_MS = 2000;

export interface CodaboxRuntime extends SourceRuntime<CodaboxClient> {
  readonly onboarding: OnboardingCapability;
  /** Names of connections configured from the environment, the first being the default for searches. */
  readonly configuredNames: readonly string[];
}

/**
 * A CodaBox client per connection (each with its own user; all with the software key), configured
 * ones first, then those claimed earlier, opened from the store with CREDENTIALS_KEY.
 */
export async function connectCodabox(cfg: CodaboxConfig, deps: ConnectDeps): Promise<CodaboxRuntime> {
  const transport = deps.transport(cfg.baseUrl);
  const connections = new Map<string, Connection<CodaboxClient>>();
  const open = (name: string, username: string, password: string, softwareKey = cfg.softwareKey) => {
    const client = createCodaboxClient({ connection: name, transport, softwareKey, username, password });
    connections.set(name, { name, client, capabilities: { ...feedsAndRecords(name, client), uploads: codaboxUploads(name, client), parties: codaboxParties(name, client) }, ping: () => client.ping() });
  };
  if (cfg.connection) open(cfg.connection.name, cfg.connection.username, cfg.connection.password);
  for (const more of cfg.more) open(more.name, more.username, more.password, more.softwareKey);

  const claimed = await deps.store.credentials.list(SOURCE);
  if (claimed.length && !deps.credentialsKey) deps.log.warn({ connections: claimed.map((x) => x.connection) }, 'claimed CodaBox credentials are stored but CREDENTIALS_KEY is not set: those connections are off');
  const box = deps.credentialsKey ? new SecretBox(deps.credentialsKey) : null;
  const seen = new Map<string, string>();
  /** Opens the stored claims not open yet, or claimed anew since (by this replica or another). */
  const openStored = (rows: { connection: string; sealed: string }[]) => {
    if (!box) return;
    for (const row of rows) {
      if (seen.get(row.connection) === row.sealed) continue;
      seen.set(row.connection, row.sealed);
      try {
        const creds = JSON.parse(box.open(row.sealed)) as { username: string; password: string };
        open(row.connection, creds.username, creds.password);
      } catch {
        deps.log.error({ connection: row.connection }, 'stored CodaBox credentials cannot be opened with CREDENTIALS_KEY; the connection is off');
      }
    }
  };
  openStored(claimed);
  // Replicas share the store: a connection claimed on another one opens here within CLAIMS_REFRESH_MS.
  const timer = box ? setInterval(() => void deps.store.credentials.list(SOURCE).then(openStored, () => {}), CLAIMS_REFRESH_MS) : null;
  timer?.unref();

  const configuredNames = [...(cfg.connection ? [cfg.connection.name] : []), ...cfg.more.map((m) => m.name)];
  const calls = createCodaboxOnboarding(transport, cfg.softwareKey);
  const onboarding: OnboardingCapability = {
    async requestAccess(kbo, purpose) {
      const r = await calls.requestAccess(`BE${kbo}`, purpose);
      if (r.ok) return { ok: true, emailHint: r.email };
      return {
        ok: false,
        errors: Object.entries(r.errors).flatMap(([key, messages]) =>
          messages.map((message) => ({ code: accessErrorCode(r.status, message), message: `CodaBox: ${message}`, field: key === 'vat' ? ['input', 'vat'] : null })),
        ),
      };
    },
    claimable(name) {
      if (configuredNames.includes(name)) return { ok: false, error: { code: 'CONNECTION_EXISTS', message: `"${name}" is configured from the environment; choose another name.`, field: ['input', 'connection'] } };
      if (!box) return { ok: false, error: { code: 'CREDENTIALS_KEY_MISSING', message: 'Set CREDENTIALS_KEY on the gateway to store claimed credentials.', field: null } };
      return { ok: true };
    },
    async claim(token, name) {
      const creds = await calls.claim(token);
      if (!creds) return { ok: false, error: { code: 'TOKEN_INVALID', message: 'CodaBox does not know this token, or it was used already (a token works once).', field: ['input', 'token'] } };
      // Stored first, sealed: the token is spent, so credentials lost now could not be claimed again.
      const sealed = box!.seal(JSON.stringify(creds));
      await deps.store.credentials.put(SOURCE, name, sealed, Date.now());
      seen.set(name, sealed);
      open(name, creds.username, creds.password);
      deps.log.info({ connection: name }, 'CodaBox credentials claimed and stored');
      return { ok: true };
    },
  };

  return {
    source: SOURCE,
    label: 'CodaBox API v2',
    onboarding,
    configuredNames,
    close: () => {
      if (timer) clearInterval(timer);
    },
    connections: () => [...connections.values()],
    connection: (name) => connections.get(name),
    breakerState: () => transport.breakerState(),
    openFile(ref) {
      const conn = connections.get(ref.connection);
      if (ref.kind !== 'codabox-file' || !conn) return null;
      const [feedType, feedIndex, format] = ref.ref.split('/') as ['download' | 'redownload', string, string];
      return () => conn.client.download(feedType, feedIndex, format);
    },
  };
}
