import { MapperKind, mapSchema } from '@graphql-tools/utils';
import type { GraphQLFieldConfig, GraphQLSchema } from 'graphql';
import { SpanStatusCode, tracer } from './tracing.js';

/**
 * A span around every field that has a resolver of its own (the root fields and the fields that
 * ask a service: `Invoice.payments`, `Party.capabilities`, …), active while it runs, so the upstream
 * requests it causes are its children. Default resolvers (reading a property) get none. Added only
 * when tracing is on: each span costs an allocation and a context switch.
 */
export function traceResolvers(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field: GraphQLFieldConfig<unknown, unknown>, fieldName, typeName) => {
      const resolve = field.resolve;
      if (!resolve || typeName.startsWith('__')) return field;
      const name = `${typeName}.${fieldName}`;
      return {
        ...field,
        resolve: (source, args, ctx, info) =>
          tracer.startActiveSpan(name, { attributes: { 'graphql.field.path': String(info.path.key) } }, (span) => {
            const fail = (err: unknown) => {
              span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message });
              span.end();
              throw err;
            };
            try {
              const value = resolve(source, args, ctx, info);
              if (value instanceof Promise) return value.then((v) => (span.end(), v), fail);
              span.end();
              return value;
            } catch (err) {
              return fail(err);
            }
          }),
      };
    },
  });
}
