import { getDirective } from '@graphql-tools/utils';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../../src/server/schema.js';
import { SCOPES } from '../../../src/auth/scopes.js';

/**
 * Every root field and mutation declares the scopes it needs, and the schema enforces each of them:
 * the wrapped resolver refuses a caller without them before the resolver behind it runs.
 */
const schema = buildSchema();
// node, nodes and _entities (Apollo Federation's) check each record by its type's scope; _service is the SDL, like introspection.
const OPEN = new Set(['node', 'nodes', 'connections', '_entities', '_service']);
const roots = [schema.getQueryType()!, schema.getMutationType()!];

describe('@requiresScopes', () => {
  it('is declared on every root field and mutation but node, nodes and connections, with known scopes only', () => {
    const missing: string[] = [];
    for (const type of roots) {
      for (const field of Object.values(type.getFields())) {
        const need = getDirective(schema, field, 'requiresScopes')?.[0]?.scopes as string[][] | undefined;
        if (!need && !OPEN.has(field.name)) missing.push(`${type.name}.${field.name}`);
        for (const s of need?.flat() ?? []) expect(SCOPES as readonly string[], `${type.name}.${field.name}`).toContain(s);
      }
    }
    expect(missing).toEqual([]);
  });

  it('refuses each of them to a caller without its scope, and lets one with it through', async () => {
    const info = { fieldName: 'x', path: { key: 'x' } } as never;
    for (const type of roots) {
      for (const field of Object.values(type.getFields())) {
        const need = getDirective(schema, field, 'requiresScopes')?.[0]?.scopes as string[][] | undefined;
        if (!need) continue;
        const refused = Promise.resolve().then(() => field.resolve!(undefined, {}, { caller: { scopes: new Set(SCOPES.filter((s) => s !== 'admin' && !need.flat().includes(s))) } } as never, info));
        await expect(refused, `${type.name}.${field.name}`).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
        // With the scope, the check passes and the resolver behind it runs (here it fails on the missing context instead).
        const allowed = Promise.resolve().then(() => field.resolve!(undefined, {}, { caller: { scopes: new Set(need[0]) } } as never, info));
        await expect(allowed, `${type.name}.${field.name}`).rejects.not.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
      }
    }
  });
});
