import { getDirective, MapperKind, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, GraphQLError, isAbstractType, isListType, isNonNullType, isObjectType, type GraphQLFieldConfig, type GraphQLNamedType, type GraphQLSchema, type GraphQLType } from 'graphql';
import type { GatewayContext } from '../context.js';
import { decodeGlobalId } from '../domain/globalId.js';
import { describeNeed, satisfies } from '../auth/scopes.js';

type Need = readonly (readonly string[])[];

const forbidden = (what: string, need: Need) => new GraphQLError(`This caller may not read ${what}: it needs the scope ${describeNeed(need)}.`, { extensions: { code: 'FORBIDDEN', requiredScopes: need } });

const namedOf = (t: GraphQLType): GraphQLNamedType => (isNonNullType(t) || isListType(t) ? namedOf(t.ofType) : t);
const isList = (t: GraphQLType): boolean => (isNonNullType(t) ? isList(t.ofType) : isListType(t));

/**
 * Enforces `@requiresScopes`, the one place scopes are checked. On a field or mutation: the field
 * answers a FORBIDDEN error, the rest of the answer stays. On an object type: a field whose type is
 * abstract (`node`, `nodes`) and resolves to a record of that type answers FORBIDDEN for that record
 * (null, or that list item), so `node(id)` never shows what the caller may not read.
 */
export function applyScopes(schema: GraphQLSchema): GraphQLSchema {
  const typeNeeds = new Map<string, Need>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type)) continue;
    const need = getDirective(schema, type, 'requiresScopes')?.[0]?.scopes as Need | undefined;
    if (need) typeNeeds.set(type.name, need);
  }
  /** The record's type from its global ID (every node's ID says its type). */
  const checkRecord = (value: unknown, held: ReadonlySet<string>): unknown => {
    const id = (value as { id?: unknown } | null)?.id;
    const type = typeof id === 'string' ? decodeGlobalId(id)?.type : undefined;
    const need = type ? typeNeeds.get(type) : undefined;
    return need && !satisfies(held, need) ? forbidden(`this ${type}`, need) : value;
  };

  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field: GraphQLFieldConfig<unknown, GatewayContext>, fieldName, typeName) => {
      const need = getDirective(schema, field, 'requiresScopes')?.[0]?.scopes as Need | undefined;
      const abstract = isAbstractType(namedOf(field.type));
      if (!need && !abstract) return field;
      const resolve = field.resolve ?? defaultFieldResolver;
      return {
        ...field,
        async resolve(source, args, ctx, info) {
          if (need && !satisfies(ctx.caller.scopes, need)) throw forbidden(`${typeName}.${fieldName}`, need);
          const value = await resolve(source, args, ctx, info);
          if (!abstract || value === null || value === undefined) return value;
          // A forbidden list item is an error in its place; graphql-js makes it null and reports it.
          if (isList(field.type) && Array.isArray(value)) return value.map((v) => (v instanceof Error ? v : checkRecord(v, ctx.caller.scopes)));
          const checked = checkRecord(value, ctx.caller.scopes);
          if (checked instanceof Error) throw checked;
          return checked;
        },
      };
    },
  });
}
