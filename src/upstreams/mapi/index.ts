// Unimaze MAPI: client (transport, HTTP Basic), wire schemas, mapping.
export { createMapiClient, BATCH_LIMIT, SOURCE, type MapiClient } from './client.js';
export { TRANSACTION_GROUP, toDocumentFormat } from './map.js';
