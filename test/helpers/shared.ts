import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

/**
 * Test material written by others (Peppol examples, the vendors' documents, CODA files) stays in
 * the `shared` folder beside the checkout and is never copied into the repository. A clone without
 * it still passes `npm test`: the suites that need it are skipped, and their name says which
 * folder was missing.
 */
export const SHARED_DIR = fileURLToPath(new URL('../../../shared/', import.meta.url));

export const hasShared = (rel: string) => existsSync(join(SHARED_DIR, rel));

/** For a single test: its name, saying why it is skipped when the file is absent. */
export function sharedTestName(rel: string, name: string): string {
  if (hasShared(rel)) return name;
  const why = `../shared/${rel} is absent`;
  console.warn(`skipped "${name}": ${why}`);
  return `${name} [skipped: ${why}]`;
}

/** The file's text, or '' when the shared folder is absent (its suite is skipped then). */
export const readShared = (rel: string) => (hasShared(rel) ? readFileSync(join(SHARED_DIR, rel), 'utf8') : '');

/** A suite that needs `../shared/<rel>`: run it when the file is there, else skip it naming the folder. */
export function describeWithShared(rel: string, name: string, fn: () => void): void {
  if (hasShared(rel)) describe(name, fn);
  else {
    const why = `../shared/${rel} is absent; put the project's shared folder beside the checkout to run it`;
    console.warn(`skipped "${name}": ${why}`);
    describe.skip(`${name} [skipped: ${why}]`, fn);
  }
}
