// Informat Invoice API: client (graphql-request + transport), wire schemas, mapping, query building.
import type { Source } from '../types.js';
import { informatConfig, type InformatConfig } from './config.js';
import { connectInformat, type InformatRuntime } from './connect.js';
import { SOURCE as NAME, type InformatClient } from './client.js';

export type { InformatConfig, InformatRuntime };

/** The Informat source: its configuration section and its connections. */
export const informat: Source<InformatConfig, InformatClient, InformatRuntime> = { name: NAME, config: informatConfig, connect: connectInformat, sandbox: () => import('../../sandbox/informat/embed.js').then((m) => m.embedded) };

export { createInformatClient, parseWire, SOURCE, type InformatClient, type PaymentOutcome, type PaymentRequest } from './client.js';
export { FULL_INVOICE_SELECTION, type SelectionTree, type InformatInvoiceFilter } from './query.js';
export { invoiceId, invoiceGroupId, paymentRejectionCode } from './map.js';
