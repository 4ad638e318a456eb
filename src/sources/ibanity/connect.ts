import { BufferedBody } from '../../http/index.js';
import type { Connection, ConnectDeps, SourceRuntime } from '../types.js';
import { createIbanityClient, SOURCE, type IbanityClient } from './client.js';
import type { IbanityConfig } from './config.js';
import { supplierIdentifiers, toSupplier } from './map.js';
import { ibanityMessaging, ibanityRecords, messageXml } from './messaging.js';
import { ibanityParties, ibanityReachability } from './parties.js';
import { ibanitySending } from './sending.js';
import { createSupplierDirectory, ibanitySuppliers } from './suppliers.js';
import { ibanityWebhooks } from './webhooks.js';

export type IbanityRuntime = SourceRuntime<IbanityClient>;

/** How long the supplier list is reused; a webhook or a change through the gateway drops it sooner. */
const SUPPLIERS_TTL_MS = 60_000;

/** When no supplier is configured, the application itself is one connection (onboarding, searches). */
export const APPLICATION_CONNECTION = 'ibanity';

/**
 * One Ibanity application (client id, secret and certificate): one mTLS transport and one token for
 * every call. Each configured supplier is a connection that sends and receives as that supplier.
 */
export async function connectIbanity(cfg: IbanityConfig, deps: ConnectDeps): Promise<IbanityRuntime> {
  const transport = deps.transport(cfg.apiUrl, { tls: cfg.tls });
  const client = createIbanityClient({ transport, tokens: deps.tokens(transport), clientId: cfg.clientId, clientSecret: cfg.clientSecret });
  const directory = createSupplierDirectory(client, SUPPLIERS_TTL_MS);
  const shared = (name: string) => ({ suppliers: ibanitySuppliers(name, client, directory), parties: ibanityParties(name, directory), reachability: ibanityReachability(client, cfg.searchConcurrency) });
  const connections: Connection<IbanityClient>[] = cfg.suppliers.length
    ? cfg.suppliers.map(({ name, supplierId }) => {
        const messages = ibanityMessaging(name, supplierId, client, directory, deps.store, cfg.lookbackDays, cfg.maxWindows);
        return {
          name,
          client,
          capabilities: { ...shared(name), sending: ibanitySending(name, supplierId, client, directory, deps.store), messages, records: ibanityRecords(messages) },
          ping: () => client.ping(supplierId),
        };
      })
    : [{ name: APPLICATION_CONNECTION, client, capabilities: shared(APPLICATION_CONNECTION), ping: () => client.ping(null) }];

  const webhooks = ibanityWebhooks(client, { audience: cfg.applicationId, issuer: cfg.webhookIssuer }, async (event) => {
    const supplierRef = event.data.relationships?.supplier?.data.id;
    if (event.data.type === 'eInvoicing.peppol.registrations.updated') {
      // The supplier's Peppol registrations changed: what the gateway knows of it, and what it answered
      // about reaching it, are stale.
      const before = supplierRef ? await directory.byId(supplierRef).catch(() => null) : null;
      directory.invalidate();
      if (before) for (const id of supplierIdentifiers(toSupplier(APPLICATION_CONNECTION, before))) deps.capabilities.forget(id.iso6523);
      deps.log.info({ supplier: supplierRef }, 'Ibanity: Peppol registrations of a supplier changed');
    } else if (event.data.type === 'eInvoicing.inbound.document.new') {
      deps.log.info({ supplier: supplierRef, document: event.data.relationships?.document?.data.id }, 'Ibanity: a new inbound document arrived');
    } else deps.log.info({ type: event.data.type }, 'Ibanity: webhook event of a type the gateway does not act on');
  });

  return {
    source: SOURCE,
    label: 'Ibanity e-invoicing (Peppol)',
    webhooks,
    connections: () => connections,
    connection: (name) => connections.find((c) => c.name === name),
    breakerState: () => transport.breakerState(),
    openFile(ref) {
      if ((ref.kind !== 'ibanity-inbound' && ref.kind !== 'ibanity-sent') || !connections.some((c) => c.name === ref.connection)) return null;
      return async () => {
        const xml = await messageXml(client, deps.store, ref.connection, ref.kind, ref.ref);
        return xml === null
          ? { status: 404, headers: {}, body: new BufferedBody(Buffer.alloc(0)) }
          : { status: 200, headers: { 'content-type': 'application/xml' }, body: new BufferedBody(Buffer.from(xml, 'utf8')) };
      };
    },
  };
}
