/** Hierarchical forecasting: summing matrices, reconciliation and HINT. */
export { withAggregates } from './aggregate.js';
export { reconcileDraws, summariseDraws, type SeriesDraws } from './coherent-draws.js';
export { Hint, type HintOptions } from './hint.js';
export {
  bottomCount,
  bottomIds,
  checkHierarchy,
  hierarchyFromGroups,
  type AggregateGroup,
  type Hierarchy,
} from './hierarchy.js';
export {
  coherenceMatrix,
  RECONCILIATIONS,
  reconciliationMatrix,
  type Reconciliation,
} from './reconciliation.js';
