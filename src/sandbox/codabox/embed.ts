import type { CodaboxConfig } from '../../sources/codabox/config.js';
import type { EmbeddedSandbox } from '../../sources/types.js';
import { startCodaboxSandbox, type CodaboxSandbox } from './index.js';

/** The CodaBox connections of the embedded default: the document's accountant, and an invoicing-software client. */
export const EMBEDDED_CODABOX = { accountant: 'codabox', shop: 'shop' } as const;

/** CodaBox on loopback; the tokens it "mails" go to the log and to its outbox route. */
export const embedded: EmbeddedSandbox<CodaboxConfig> = {
  async start(s, log, options = {}) {
    const codabox = await startCodaboxSandbox({
      seed: s.seed,
      ...options,
      onMail: ({ vat, email, token }) => log.info({ vat, email, token }, `CodaBox sandbox mailed a credentials token to ${vat}: claim it with claimCodaboxCredentials(input: { token: "${token}", connection: "…" })`),
    });
    codabox.server.latencyMs = s.latencyMs;
    const accountant = codabox.users.find((u) => u.kind === 'fiduciary')!;
    const shop = codabox.users.find((u) => u.kind === 'invoicing')!;
    return {
      config: {
        baseUrl: codabox.url,
        softwareKey: codabox.softwareKey,
        connection: { name: EMBEDDED_CODABOX.accountant, username: accountant.username, password: accountant.password },
        more: [{ name: EMBEDDED_CODABOX.shop, username: shop.username, password: shop.password }],
      },
      handle: codabox,
      urls: { codabox: codabox.url, codaboxOutbox: `${codabox.url}/sandbox/outbox/` },
      close: () => codabox.close(),
    };
  },
  env(handle) {
    const codabox = handle as CodaboxSandbox;
    const accountant = codabox.users.find((u) => u.kind === 'fiduciary')!;
    return { CODABOX_BASE_URL: codabox.url, CODABOX_SOFTWARE_KEY: codabox.softwareKey, CODABOX_USERNAME: accountant.username, CODABOX_PASSWORD: accountant.password };
  },
};
