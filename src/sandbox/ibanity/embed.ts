import { join } from 'node:path';
import type { IbanityConfig } from '../../sources/ibanity/config.js';
import type { EmbeddedSandbox } from '../../sources/types.js';
import { startIbanitySandbox, WEBHOOK_ISSUER, type IbanitySandbox } from './index.js';
import { ONBOARDED_SUPPLIER_ID, RECEIVER_SUPPLIER_ID } from './seed.js';

/** The Ibanity connections of the embedded default: a Belgian brewery that sends, and a test receiver that receives. */
export const EMBEDDED_IBANITY = { sender: 'ibanity', receiver: 'ibanity-receiver' } as const;

const suppliers = [
  { name: EMBEDDED_IBANITY.sender, supplierId: ONBOARDED_SUPPLIER_ID },
  { name: EMBEDDED_IBANITY.receiver, supplierId: RECEIVER_SUPPLIER_ID },
];

/** Ibanity on loopback over HTTPS with client certificates; its CA is kept in DATA_DIR so restarts keep it. */
export const embedded: EmbeddedSandbox<IbanityConfig> = {
  async start(s, _log, options = {}) {
    const ibanity = await startIbanitySandbox({ seed: s.seed, stepMs: s.ibanityStepMs, onboardingDelayMs: s.ibanityStepMs, tokenTtlSeconds: Math.min(s.tokenTtlSeconds, 300), pkiDir: s.dataDir ? join(s.dataDir, 'ibanity-sandbox') : undefined, ...options });
    ibanity.server.latencyMs = s.latencyMs;
    return {
      config: {
        apiUrl: ibanity.url,
        clientId: ibanity.application.clientId,
        clientSecret: ibanity.application.clientSecret,
        tls: { cert: ibanity.pki.client.certPem, key: ibanity.pki.client.keyPem, ca: ibanity.pki.caPem },
        suppliers,
        searchConcurrency: 8,
        lookbackDays: 6,
        maxWindows: 13,
        applicationId: ibanity.webhookAudience,
        webhookIssuer: WEBHOOK_ISSUER,
      },
      handle: ibanity,
      urls: { ibanity: ibanity.url },
      attach: (gatewayUrl) => ibanity.sendWebhooksTo(`${gatewayUrl}/webhooks/ibanity`),
      close: () => ibanity.close(),
    };
  },
  env(handle) {
    const ibanity = handle as IbanitySandbox;
    return {
      IBANITY_API_URL: ibanity.url,
      IBANITY_CLIENT_ID: ibanity.application.clientId,
      IBANITY_CLIENT_SECRET: ibanity.application.clientSecret,
      IBANITY_CERT: ibanity.pki.client.certPem,
      IBANITY_KEY: ibanity.pki.client.keyPem,
      IBANITY_CA: ibanity.pki.caPem,
      ...(ibanity.webhookAudience !== ibanity.application.clientId ? { IBANITY_APPLICATION_ID: ibanity.webhookAudience } : {}),
      IBANITY_SUPPLIERS: suppliers.map((x) => `${x.name}=${x.supplierId}`).join(','),
    };
  },
};
