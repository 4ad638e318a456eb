import { Kind, getArgumentValues, getNamedType, isObjectType, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { SelectionTree } from '../src/domain/selection.js';

/**
 * What the caller selected below the current field, as a plain tree of field names, with fragments
 * and inline fragments folded in. Upstream query builders read it to fetch only those fields.
 */
export function selectionTree(info: GraphQLResolveInfo): SelectionTree {
  const tree: SelectionTree = {};
  for (const node of info.fieldNodes) if (node.selectionSet) collect(node.selectionSet, info, tree);
  return tree;
}

function collect(set: SelectionSetNode, info: GraphQLResolveInfo, into: SelectionTree): void {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      const name = sel.name.value;
      const child = (into[name] ??= {});
      if (sel.selectionSet) collect(sel.selectionSet, info, child);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      collect(sel.selectionSet, info, into);
    } else {
      const frag = info.fragments[sel.name.value];
      if (frag) collect(frag.selectionSet, info, into);
    }
  }
}

/** The subtree at a path (`['edges', 'node']`), empty when the caller did not go there. */
export function subtree(tree: SelectionTree, path: readonly string[]): SelectionTree {
  let t: SelectionTree | undefined = tree;
  for (const p of path) t = t?.[p];
  return t ?? {};
}

/**
 * Argument values of every selection of a child field (for example each `invoices(...)` under
 * `invoiceGroups`), with variables applied. Aliases may select it several times with different
 * arguments; callers prefetch only when all agree.
 */
export function childFieldArgs(info: GraphQLResolveInfo, childName: string): Record<string, unknown>[] {
  const parentType = getNamedType(info.returnType);
  if (!isObjectType(parentType)) return [];
  const def = parentType.getFields()[childName];
  if (!def) return [];
  const found: FieldNode[] = [];
  const walk = (set: SelectionSetNode) => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD && sel.name.value === childName) found.push(sel);
      else if (sel.kind === Kind.INLINE_FRAGMENT) walk(sel.selectionSet);
      else if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const frag = info.fragments[sel.name.value];
        if (frag) walk(frag.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) if (node.selectionSet) walk(node.selectionSet);
  return found.map((node) => getArgumentValues(def, node, info.variableValues));
}
