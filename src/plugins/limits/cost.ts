import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  valueFromASTUntyped,
  type DirectiveNode,
  type DocumentNode,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import type { LimitRefusal } from './errors.js';

/**
 * The cost model, declared in the schema with the directives Apollo and IBM's cost specification
 * use (`schema/common.graphql`):
 *
 * - a scalar field costs 0 and an object field 1, plus its `@cost(weight:)`: fields that ask an
 *   upstream carry a weight, so one upstream call costs as much as many objects in memory;
 * - a list multiplies what its items cost by its size: the value of a `slicingArguments` argument
 *   (`first`, or the length of a list argument such as `ids`), else `assumedSize`, else
 *   QUERY_COST_LIST_SIZE; a connection's size applies to its `sizedFields` (`edges`);
 * - introspection costs nothing (it is bounded by the schema).
 *
 * Nested lists multiply, so `feeds { entries(first: 100) { … feed { entries(first: 100) … } } }`
 * costs millions and is refused before anything runs.
 */

export interface CostLimits {
  maxCost: number;
  defaultListSize: number;
  /** `first` above this is refused by the resolvers anyway; the estimate never counts more. */
  maxPageSize: number;
}

interface FieldCost {
  weight: number;
  assumedSize: number | null;
  slicingArguments: string[];
  sizedFields: string[];
}

function directive(field: GraphQLField<unknown, unknown>, name: string): DirectiveNode | undefined {
  return field.astNode?.directives?.find((d) => d.name.value === name);
}

function argValue(d: DirectiveNode | undefined, name: string): unknown {
  const a = d?.arguments?.find((x) => x.name.value === name);
  return a ? valueFromASTUntyped(a.value) : undefined;
}

function readCost(field: GraphQLField<unknown, unknown>): FieldCost {
  const cost = directive(field, 'cost');
  const size = directive(field, 'listSize');
  return {
    weight: Number(argValue(cost, 'weight') ?? 0),
    assumedSize: (argValue(size, 'assumedSize') as number | undefined) ?? null,
    slicingArguments: (argValue(size, 'slicingArguments') as string[] | undefined) ?? [],
    sizedFields: (argValue(size, 'sizedFields') as string[] | undefined) ?? [],
  };
}

/** Builds the estimator once per schema: directive lookups are cached per field. */
export function costEstimator(schema: GraphQLSchema, limits: CostLimits): ComplexityEstimator {
  const costs = new Map<GraphQLField<unknown, unknown>, FieldCost>();
  const costOf = (f: GraphQLField<unknown, unknown>) => {
    let c = costs.get(f);
    if (!c) costs.set(f, (c = readCost(f)));
    return c;
  };
  // `Type.field` of every list whose size its parent field sets (a connection's edges).
  const sizedByParent = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!('getFields' in type) || type.name.startsWith('__')) continue;
    for (const f of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
      const sized = 'args' in f ? costOf(f).sizedFields : [];
      for (const child of sized) sizedByParent.add(`${getNamedType(f.type).name}.${child}`);
    }
  }

  const sizeFrom = (c: FieldCost, args: Record<string, unknown>): number => {
    for (const name of c.slicingArguments) {
      const v = args[name];
      if (typeof v === 'number') return Math.max(0, Math.min(v, limits.maxPageSize));
      if (Array.isArray(v)) return v.length;
    }
    return c.assumedSize ?? limits.defaultListSize;
  };

  return ({ type, field, args, childComplexity }) => {
    if (type.name.startsWith('__') || field.name.startsWith('__')) return 0;
    const c = costOf(field);
    const item = isCompositeType(getNamedType(field.type)) ? 1 : 0;
    if (c.sizedFields.length) return c.weight + item + sizeFrom(c, args) * childComplexity;
    if (isListType(getNullableType(field.type))) {
      const size = sizedByParent.has(`${type.name}.${field.name}`) ? 1 : sizeFrom(c, args);
      return c.weight + size * (item + childComplexity);
    }
    return c.weight + item + childComplexity;
  };
}

const MAX_EVALUATED_NODES = 100_000;

/** The operation's cost, or a refusal stating cost and limit. */
export function checkCost(
  schema: GraphQLSchema,
  estimator: ComplexityEstimator,
  doc: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown> | undefined,
  limits: CostLimits,
): { cost: number; refusal: LimitRefusal | null } {
  let cost: number;
  try {
    // Fragments are evaluated each time they are spread; the node cap stops a "fragment bomb".
    cost = getComplexity({ schema, query: doc, operationName, variables: variables ?? {}, estimators: [estimator], maxQueryNodes: MAX_EVALUATED_NODES });
  } catch {
    // The only failure left once variables are coerced: more nodes than MAX_EVALUATED_NODES.
    cost = Number.POSITIVE_INFINITY;
  }
  if (cost <= limits.maxCost) return { cost, refusal: null };
  return {
    cost,
    refusal: {
      code: 'COST_LIMIT_EXCEEDED',
      option: 'MAX_QUERY_COST',
      limit: limits.maxCost,
      actual: cost,
      message: `The operation's estimated cost is ${cost}; the limit is ${limits.maxCost} (MAX_QUERY_COST). Lists multiply what their items cost and fields that call an upstream cost more: ask for smaller pages (first) or fewer nested lists.`,
    },
  };
}
