// Unimaze MAPI: client (transport, HTTP Basic), wire schemas, mapping.
import type { Source } from '../types.js';
import { mapiConfig, type MapiConfig } from './config.js';
import { connectMapi, type MapiRuntime } from './connect.js';
import { SOURCE as NAME, type MapiClient } from './client.js';

export type { MapiConfig, MapiRuntime };

/** The Mapi source: its configuration section and its connections. */
export const mapi: Source<MapiConfig, MapiClient, MapiRuntime> = { name: NAME, config: mapiConfig, connect: connectMapi, sandbox: () => import('../../sandbox/mapi/embed.js').then((m) => m.embedded) };

export { createMapiClient, BATCH_LIMIT, SOURCE, type MapiClient } from './client.js';
export { TRANSACTION_GROUP, toDocumentFormat } from './map.js';
