import { SecretBox } from '../../store/secrets.js';
import type { Connection, ConnectDeps, SourceRuntime } from '../types.js';
import { createCodaboxClient, createCodaboxOnboarding, SOURCE, type CodaboxClient, type CodaboxOnboarding } from './client.js';
import type { CodaboxConfig } from './config.js';
import { codaboxFeeds } from './feeds.js';

export interface CodaboxRuntime extends SourceRuntime<CodaboxClient> {
  readonly onboarding: CodaboxOnboarding;
  /** Names of connections configured from the environment (a claim may not take them). */
  readonly configuredNames: readonly string[];
  /** Whether claimed credentials can be sealed (CREDENTIALS_KEY is set). */
  readonly canClaim: boolean;
  /** Stores claimed credentials sealed, then opens the connection: the token is spent, so they are kept first. */
  claim(name: string, credentials: { username: string; password: string }): Promise<void>;
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
    connections.set(name, { name, client, capabilities: { feeds: codaboxFeeds(name, client) }, ping: () => client.ping() });
  };
  if (cfg.connection) open(cfg.connection.name, cfg.connection.username, cfg.connection.password);
  for (const more of cfg.more) open(more.name, more.username, more.password, more.softwareKey);

  const claimed = await deps.store.credentials.list(SOURCE);
  if (claimed.length && !deps.credentialsKey) deps.log.warn({ connections: claimed.map((x) => x.connection) }, 'claimed CodaBox credentials are stored but CREDENTIALS_KEY is not set: those connections are off');
  const box = deps.credentialsKey ? new SecretBox(deps.credentialsKey) : null;
  if (box) {
    for (const row of claimed) {
      try {
        const creds = JSON.parse(box.open(row.sealed)) as { username: string; password: string };
        open(row.connection, creds.username, creds.password);
      } catch {
        deps.log.error({ connection: row.connection }, 'stored CodaBox credentials cannot be opened with CREDENTIALS_KEY; the connection is off');
      }
    }
  }

  return {
    source: SOURCE,
    label: 'CodaBox API v2',
    onboarding: createCodaboxOnboarding(transport, cfg.softwareKey),
    configuredNames: [...(cfg.connection ? [cfg.connection.name] : []), ...cfg.more.map((m) => m.name)],
    canClaim: box !== null,
    connections: () => [...connections.values()],
    connection: (name) => connections.get(name),
    breakerState: () => transport.breakerState(),
    async claim(name, credentials) {
      if (!box) throw new Error('CREDENTIALS_KEY is not set');
      await deps.store.credentials.put(SOURCE, name, box.seal(JSON.stringify(credentials)), Date.now());
      open(name, credentials.username, credentials.password);
      deps.log.info({ connection: name }, 'CodaBox credentials claimed and stored');
    },
    openFile(ref) {
      const conn = connections.get(ref.connection);
      if (ref.kind !== 'codabox-file' || !conn) return null;
      const [feedType, feedIndex, format] = ref.ref.split('/') as ['download' | 'redownload', string, string];
      return () => conn.client.download(feedType, feedIndex, format);
    },
  };
}
