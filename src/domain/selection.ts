/**
 * What a caller selected below a field, as a plain tree of field names (fragments folded in), so a
 * source can ask its upstream for only those fields. Built from GraphQL by the resolvers.
 */
export interface SelectionTree {
  [field: string]: SelectionTree;
}
