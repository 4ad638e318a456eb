// CodaBox API v2: client (transport, X-Software-Company + HTTP Basic), wire schemas, mapping.
import type { Source } from '../types.js';
import { codaboxConfig, type CodaboxConfig } from './config.js';
import { connectCodabox, type CodaboxRuntime } from './connect.js';
import { SOURCE as NAME, type CodaboxClient } from './client.js';

export type { CodaboxConfig, CodaboxRuntime };

/** The Codabox source: its configuration section and its connections. */
export const codabox: Source<CodaboxConfig, CodaboxClient, CodaboxRuntime> = { name: NAME, config: codaboxConfig, connect: connectCodabox, sandbox: () => import('../../sandbox/codabox/embed.js').then((m) => m.embedded) };

export { createCodaboxClient, createCodaboxOnboarding, feedRoute, parseWire, SOURCE, type CodaboxClient, type CodaboxOnboarding, type AccessPurpose } from './client.js';
export { toFeed, toFeedEntry, toPayments, feedId, FEED_KIND, toClientParty, clientDetails } from './map.js';
