import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { mergeResolvers } from '@graphql-tools/merge';
import { addResolversToSchema } from '@graphql-tools/schema';
import { isObjectType, parse, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { resolvers } from '../../resolvers/index.js';
import { selectionTree } from '../../resolvers/selection.js';
import type { GatewayContext } from '../context.js';
import { decodeGlobalId } from '../domain/globalId.js';
import { getNode, NODE_TYPES } from '../services/nodes.js';
import { projectRoot } from '../paths.js';
import { applyScopes } from './scopes.js';
import { traceResolvers } from '../telemetry/resolverSpans.js';
import { tracingEnabled } from '../telemetry/tracing.js';

/** SDL files of schema/, in a stable order; they are the source of truth for codegen too. */
export function loadTypeDefs(dir = join(projectRoot(), 'schema')): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}

/** What makes the schema an Apollo Federation v2 subgraph: entity keys and shareable value types. */
export const loadFederationTypeDefs = (dir = join(projectRoot(), 'schema', 'federation')) => readFileSync(join(dir, 'subgraph.graphql'), 'utf8');

/**
 * An entity reference from the supergraph (`{ __typename, id }`) read through the same services
 * (and per-request loaders) as `node(id)`; null for an ID of another type or of nothing.
 */
async function resolveReference(typeName: string, ref: { id?: unknown }, ctx: GatewayContext, info: GraphQLResolveInfo) {
  const id = typeof ref.id === 'string' ? ref.id : null;
  if (!id || decodeGlobalId(id)?.type !== typeName) return null;
  return getNode(ctx, id, selectionTree(info));
}

/** What GraphiQL shows for the parts Apollo Federation adds (it adds them without descriptions). */
const FEDERATION_DESCRIPTIONS: Record<string, string> = {
  'Query._entities': 'Apollo Federation: the entities of this subgraph a supergraph router asks for by key (`{ __typename, id }`), in the order asked; null for a key that names nothing. Each type keeps its scope.',
  'Query._service': "Apollo Federation: this subgraph's SDL, for composition.",
  _Service: "Apollo Federation: this subgraph's description for composition.",
  '_Service.sdl': "The subgraph's schema, with its federation directives.",
  _Entity: 'Apollo Federation: every type of this subgraph that can be asked for by key.',
  _Any: 'Apollo Federation: an entity representation, `{ __typename, id }`.',
  link__Purpose: 'Apollo Federation: the purpose of a linked specification.',
  link__Import: 'Apollo Federation: a name imported from a linked specification.',
  federation__FieldSet: 'Apollo Federation: a selection of fields, as in `@key(fields: "id")`.',
  federation__Scope: 'Apollo Federation: an authorization scope.',
  federation__Policy: 'Apollo Federation: an authorization policy.',
};

function describeFederation(schema: GraphQLSchema): void {
  for (const [path, description] of Object.entries(FEDERATION_DESCRIPTIONS)) {
    const [typeName, fieldName] = path.split('.') as [string, string | undefined];
    const type = schema.getType(typeName);
    const target = fieldName && type && 'getFields' in type ? type.getFields()[fieldName] : type;
    if (target) (target as { description: string | null | undefined }).description = description;
  }
}

function addReferenceResolvers(schema: GraphQLSchema): GraphQLSchema {
  for (const name of NODE_TYPES) {
    const type = schema.getType(name);
    if (!isObjectType(type)) continue;
    const extensions = type.extensions as Record<string, unknown>;
    // Where @apollo/subgraph's `_entities` looks for a type's reference resolver.
    (type as { extensions: unknown }).extensions = { ...extensions, apollo: { subgraph: { resolveReference: (ref: { id?: unknown }, ctx: GatewayContext, info: GraphQLResolveInfo) => resolveReference(name, ref, ctx, info) } } };
  }
  return schema;
}

/**
 * The executable schema: the SDL of schema/ as a Federation v2 subgraph (`_service`, `_entities`),
 * with the resolvers, scopes enforced, and every Node type resolvable by reference.
 */
export function buildSchema() {
  const subgraph = buildSubgraphSchema({ typeDefs: parse([...loadTypeDefs(), loadFederationTypeDefs()].join('\n')) });
  const executable = addResolversToSchema({ schema: subgraph, resolvers: mergeResolvers(resolvers as never), inheritResolversFromInterfaces: true });
  const scoped = applyScopes(executable);
  const schema = addReferenceResolvers(tracingEnabled() ? traceResolvers(scoped) : scoped);
  describeFederation(schema);
  return schema;
}
