import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { resolvers } from '../../resolvers/index.js';
import { projectRoot } from '../paths.js';
import { applyScopes } from './scopes.js';

/** SDL files of schema/, in a stable order; they are the source of truth for codegen too. */
export function loadTypeDefs(dir = join(projectRoot(), 'schema')): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}

export function buildSchema() {
  return applyScopes(makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers: resolvers as never, inheritResolversFromInterfaces: true }));
}
