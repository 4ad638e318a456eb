// Ibanity e-invoicing (Peppol access point): client (mTLS transport, OAuth2), wire schemas, mapping.
import type { Source } from '../types.js';
import { ibanityConfig, type IbanityConfig } from './config.js';
import { connectIbanity, type IbanityRuntime } from './connect.js';
import { SOURCE as NAME, type IbanityClient } from './client.js';

export type { IbanityConfig, IbanityRuntime };

/** The Ibanity source: its configuration section and its connections (one per supplier). */
export const ibanity: Source<IbanityConfig, IbanityClient, IbanityRuntime> = { name: NAME, config: ibanityConfig, connect: connectIbanity, sandbox: () => import('../../sandbox/ibanity/embed.js').then((m) => m.embedded) };

export { SOURCE, type IbanityClient } from './client.js';
export { APPLICATION_CONNECTION } from './connect.js';
