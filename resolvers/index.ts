import type { Resolvers } from '../src/generated/graphql.js';
import { invoiceResolvers } from './invoice.js';
import { nodeResolvers } from './node.js';
import { messageResolvers } from './message.js';
import { sendResolvers } from './send.js';
import { feedResolvers } from './feed.js';
import { codaboxResolvers } from './codabox.js';
import { partyResolvers } from './party.js';
import { paymentResolvers } from './payment.js';
import { scalarResolvers } from './scalars.js';
import { supplierResolvers } from './supplier.js';
import { parsingResolvers } from './parsing.js';
import { reconciliationResolvers } from './reconciliation.js';

/** All resolvers, one module per unified type family. */
export const resolvers: Resolvers[] = [scalarResolvers as Resolvers, nodeResolvers, invoiceResolvers, paymentResolvers, partyResolvers, messageResolvers, sendResolvers, feedResolvers, codaboxResolvers, supplierResolvers, parsingResolvers, reconciliationResolvers];
