import type { Connection, ConnectDeps, SourceRuntime } from '../types.js';
import { createInformatClient, SOURCE, type InformatClient } from './client.js';
import type { InformatConfig } from './config.js';
import { informatInvoicing } from './invoicing.js';

export type InformatRuntime = SourceRuntime<InformatClient>;

/** One client for every access group (a token each); each access group is a connection. */
export async function connectInformat(cfg: InformatConfig, deps: ConnectDeps): Promise<InformatRuntime> {
  const api = deps.transport(cfg.apiUrl);
  const identity = deps.transport(new URL(cfg.tokenUrl).origin, { label: `${SOURCE}_IDENTITY` });
  const client = createInformatClient({ api, tokens: deps.tokens(identity), tokenUrl: cfg.tokenUrl, clientId: cfg.clientId, clientSecret: cfg.clientSecret, accessGroups: cfg.accessGroups, scopePrefix: cfg.scopePrefix });
  const connections: Connection<InformatClient>[] = cfg.accessGroups.map((ag) => ({ name: ag, client, capabilities: informatInvoicing(ag, client), ping: () => client.ping(ag) }));
  return {
    source: SOURCE,
    label: 'Informat access group',
    connections: () => connections,
    connection: (name) => connections.find((c) => c.name === name),
    breakerState: () => api.breakerState(),
    openFile(ref) {
      if (ref.kind !== 'informat-pdf' || !cfg.accessGroups.includes(ref.connection)) return null;
      return () => client.downloadPdf(ref.connection, ref.ref);
    },
  };
}
