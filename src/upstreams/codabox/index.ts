// CodaBox API v2: client (transport, X-Software-Company + HTTP Basic), wire schemas, mapping.
export { createCodaboxClient, createCodaboxOnboarding, feedRoute, parseWire, SOURCE, type CodaboxClient, type CodaboxOnboarding, type AccessPurpose } from './client.js';
export { toFeed, toFeedEntry, toPayments, feedId, FEED_KIND, toClientParty, clientDetails } from './map.js';
