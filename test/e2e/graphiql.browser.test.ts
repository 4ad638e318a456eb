import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';

/**
 * GraphiQL in a real browser: Debian's Chromium (installed by .ci/run) driven by playwright-core.
 * The page must work with no internet access, so every request it makes must go to the gateway.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`Skipping the GraphiQL browser test: no Chromium at ${CHROMIUM} (apt-get install -y chromium, as .ci/run does).`);

describe.skipIf(!hasChromium)('GraphiQL in Chromium', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('loads from the gateway alone, runs the sample query and shows its result', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // As root, without a sandbox; no background traffic to Google's services on a closed network.
      // Playwright gives each launch a new, empty profile.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage();
      const requested: string[] = [];
      page.on('request', (r) => requested.push(r.url()));
      const failures: string[] = [];
      page.on('pageerror', (e) => failures.push(e.message));

      await page.goto(`${stack.gateway.url}/graphql`);
      await page.locator('.graphiql-execute-button').click({ timeout: 20_000 });
      const result = page.locator('.result-window');
      await result.getByText('"invoiceGroups"').waitFor({ timeout: 20_000 });
      const text = await result.innerText();
      expect(text).toContain('"source": "INFORMAT"');
      expect(text).not.toContain('"errors"');

      // Nothing from outside the gateway: scripts, styles, fonts and the schema all come from it.
      const origin = new URL(stack.gateway.url).origin;
      expect(requested.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'))).toEqual([]);
      expect(requested.some((u) => u.endsWith('/graphiql/assets/graphiql.js'))).toBe(true);
      expect(failures).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
