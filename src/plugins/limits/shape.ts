import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { LimitRefusal } from './errors.js';

export interface ShapeLimits {
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
}

interface Shape {
  depth: number;
  aliases: number;
  fields: number;
}

/**
 * Measures an operation with its fragments spread in place: the deepest field path, the aliases
 * (a fragment spread twice counts twice) and the fields at the root. Introspection fields (`__…`)
 * count for none of them: their depth is the schema's, not the caller's choice. Validation has
 * already refused fragment cycles, so the walk ends.
 */
export function measureOperation(doc: DocumentNode, operation: OperationDefinitionNode): { depth: number; aliases: number; rootFields: number } {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const memo = new Map<string, Shape>();

  const walk = (set: SelectionSetNode): Shape => {
    const out: Shape = { depth: 0, aliases: 0, fields: 0 };
    for (const sel of set.selections) {
      let inner: Shape;
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value.startsWith('__')) continue;
        const below = sel.selectionSet ? walk(sel.selectionSet) : { depth: 0, aliases: 0, fields: 0 };
        inner = { depth: below.depth + 1, aliases: below.aliases + (sel.alias ? 1 : 0), fields: 1 };
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        inner = walk(sel.selectionSet);
      } else {
        const name = sel.name.value;
        let shape = memo.get(name);
        if (!shape) {
          const frag = fragments.get(name);
          shape = frag ? walk(frag.selectionSet) : { depth: 0, aliases: 0, fields: 0 };
          memo.set(name, shape);
        }
        inner = shape;
      }
      out.depth = Math.max(out.depth, inner.depth);
      out.aliases += inner.aliases;
      out.fields += inner.fields;
    }
    return out;
  };

  const s = walk(operation.selectionSet);
  return { depth: s.depth, aliases: s.aliases, rootFields: s.fields };
}

export function checkShape(doc: DocumentNode, operation: OperationDefinitionNode, limits: ShapeLimits): LimitRefusal | null {
  const m = measureOperation(doc, operation);
  if (m.depth > limits.maxDepth) {
    return { code: 'DEPTH_LIMIT_EXCEEDED', option: 'MAX_QUERY_DEPTH', limit: limits.maxDepth, actual: m.depth, message: `The operation nests fields ${m.depth} levels deep; at most ${limits.maxDepth} are allowed (MAX_QUERY_DEPTH).` };
  }
  if (m.aliases > limits.maxAliases) {
    return { code: 'ALIAS_LIMIT_EXCEEDED', option: 'MAX_ALIASES', limit: limits.maxAliases, actual: m.aliases, message: `The operation uses ${m.aliases} aliases; at most ${limits.maxAliases} are allowed (MAX_ALIASES). Use nodes(ids:) or parties(identifiers:) to fetch many objects at once.` };
  }
  if (m.rootFields > limits.maxRootFields) {
    return { code: 'ROOT_FIELD_LIMIT_EXCEEDED', option: 'MAX_ROOT_FIELDS', limit: limits.maxRootFields, actual: m.rootFields, message: `The operation asks ${m.rootFields} root fields; at most ${limits.maxRootFields} are allowed (MAX_ROOT_FIELDS).` };
  }
  return null;
}
