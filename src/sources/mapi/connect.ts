import type { Connection, ConnectDeps, SourceRuntime } from '../types.js';
import { createMapiClient, SOURCE, type MapiClient } from './client.js';
import type { MapiConfig } from './config.js';
import { mapiMessaging } from './messaging.js';
import { mapiSending } from './sending.js';
import { mapiParties, mapiReachability, mapiRecords } from './parties.js';

export interface MapiRuntime extends SourceRuntime<MapiClient> {
  /** Where MAPI e-mails a document no network reaches, when the buyer has no address. */
  readonly fallbackEmail: string | null;
}

/** One MAPI user is one connection. */
export async function connectMapi(cfg: MapiConfig, deps: ConnectDeps): Promise<MapiRuntime> {
  const transport = deps.transport(cfg.baseUrl);
  const client = createMapiClient({ connection: cfg.name, transport, username: cfg.username, password: cfg.password, batchCapabilitiesPath: cfg.batchCapabilitiesPath });
  const connections: Connection<MapiClient>[] = [{ name: cfg.name, client, capabilities: { messages: mapiMessaging(client), sending: mapiSending(client, cfg.fallbackEmail), parties: mapiParties(cfg.name, client), reachability: mapiReachability(client), records: mapiRecords(client) }, ping: () => client.ping() }];
  return {
    source: SOURCE,
    label: 'Unimaze MAPI',
    fallbackEmail: cfg.fallbackEmail,
    connections: () => connections,
    connection: (name) => connections.find((c) => c.name === name),
    breakerState: () => transport.breakerState(),
    openFile(ref) {
      if (ref.kind !== 'mapi-document' || ref.connection !== cfg.name) return null;
      const [uniqueId, index] = ref.ref.split('/') as [string, string];
      return () => client.document(uniqueId, Number(index));
    },
  };
}
