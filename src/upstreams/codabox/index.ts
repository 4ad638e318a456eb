// CodaBox API v2: client (transport, X-Software-Company + HTTP Basic), wire schemas, mapping.
export { createCodaboxClient, parseWire, SOURCE, type CodaboxClient } from './client.js';
export { toFeed, toFeedEntry, toPayments, feedId, FEED_KIND } from './map.js';
