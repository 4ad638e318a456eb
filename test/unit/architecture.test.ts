import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The house's rules, read from the import graph: sources are plug-ins that resolvers reach only
 * through services and the registry, sources never import each other, and production code never
 * loads a simulator statically.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Static imports (`import … from`, `export … from`) and dynamic ones (`import(…)`), resolved to repository paths. */
function imports(file: string): { path: string; dynamic: boolean }[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out: { path: string; dynamic: boolean }[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'";]*?from\s+'([^']+)'/g)) out.push({ path: m[1]!, dynamic: false });
  for (const m of text.matchAll(/import\(\s*'([^']+)'\s*\)/g)) out.push({ path: m[1]!, dynamic: true });
  return out.filter((i) => i.path.startsWith('.')).map((i) => ({ ...i, path: relative(ROOT, resolve(ROOT, dirname(file), i.path)).replace(/\.js$/, '.ts') }));
}

const sourceOf = (path: string) => /^src\/sources\/([^/]+)\//.exec(path)?.[1] ?? null;

describe('architecture', () => {
  it('resolvers reach sources only through services and the registry', () => {
    const offending = files('resolvers').flatMap((f) => imports(f).filter((i) => sourceOf(i.path)).map((i) => `${f} -> ${i.path}`));
    expect(offending).toEqual([]);
  });

  it('no source folder imports another', () => {
    const offending = files('src/sources').flatMap((f) => {
      const own = sourceOf(f);
      if (!own) return []; // the registry and the shared types list every source by design
      return imports(f).filter((i) => sourceOf(i.path) && sourceOf(i.path) !== own).map((i) => `${f} -> ${i.path}`);
    });
    expect(offending).toEqual([]);
  });

  it('services know sources only by the registry and the capability types', () => {
    const offending = files('src/services').flatMap((f) => imports(f).filter((i) => sourceOf(i.path)).map((i) => `${f} -> ${i.path}`));
    expect(offending).toEqual([]);
  });

  it('production code never imports a simulator statically', () => {
    const production = [...files('src'), ...files('resolvers')].filter((f) => !f.startsWith('src/sandbox/'));
    const offending = production.flatMap((f) => imports(f).filter((i) => i.path.startsWith('src/sandbox/') && !i.dynamic).map((i) => `${f} -> ${i.path}`));
    expect(offending).toEqual([]);
  });

  it('no upstream client writes an Authorization header by hand (the transport\'s auth layers do)', () => {
    const offending = files('src/sources').filter((f) => /authorization\s*:/i.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(offending).toEqual([]);
  });

  it('every source folder has the same shape: an index door, client, wire schemas, mapping, its IDs, config and connect', () => {
    const folders = readdirSync(join(ROOT, 'src/sources')).filter((n) => statSync(join(ROOT, 'src/sources', n)).isDirectory());
    for (const folder of folders) {
      const have = readdirSync(join(ROOT, 'src/sources', folder));
      for (const needed of ['index.ts', 'client.ts', 'wire.ts', 'map.ts', 'ids.ts', 'config.ts', 'connect.ts']) expect(have, `src/sources/${folder}`).toContain(needed);
    }
  });
});

describe('IDs', () => {
  it('each source builds its global IDs in its ids.ts only', () => {
    const offending = files('src/sources').filter((f) => !f.endsWith('/ids.ts') && /encodeGlobalId\(/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(offending).toEqual([]);
  });
});

describe('simulators', () => {
  it('share one layout: index.ts (start), seed.ts (data), routes/ (HTTP routes), embed.ts (the embedded default)', () => {
    const folders = readdirSync(join(ROOT, 'src/sandbox')).filter((n) => statSync(join(ROOT, 'src/sandbox', n)).isDirectory());
    expect(folders.sort()).toEqual(['codabox', 'ibanity', 'informat', 'mapi']);
    for (const folder of folders) {
      const have = readdirSync(join(ROOT, 'src/sandbox', folder));
      for (const needed of ['index.ts', 'seed.ts', 'embed.ts', 'routes']) expect(have, `src/sandbox/${folder}`).toContain(needed);
    }
  });
});
