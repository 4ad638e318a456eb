import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { PRODUCTION_NODE_FLAGS } from '../helpers/gatewayProcess.js';

/** The benchmark measures the gateway as it ships: `npm start`, `npm run serve` and the image pass the same V8 flags. */
it('npm start, npm run serve, the image and the benchmark run node with the same flags', () => {
  const scripts = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8'))![1]!) as string[];
  expect(PRODUCTION_NODE_FLAGS.length).toBeGreaterThan(0);
  for (const flag of PRODUCTION_NODE_FLAGS) {
    expect(scripts.start!.split(' ')).toContain(flag);
    expect(scripts.serve!.split(' ')).toContain(flag);
    expect(cmd).toContain(flag);
  }
});
