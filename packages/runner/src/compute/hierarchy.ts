/** The hierarchy of a HINT run (spec.hierarchy) over the run's series. */
import type { RunSpec } from '@nflab/contracts';
import { hierarchyFromGroups, type Hierarchy } from '@nflab/engine';

/** A spec's hierarchy field. */
export type HierarchyField = NonNullable<RunSpec['hierarchy']>;

/** The summing matrix of `hierarchy` over the bottom series `bottom`. */
export const runHierarchy = (hierarchy: HierarchyField, bottom: readonly string[]): Hierarchy =>
  hierarchyFromGroups(bottom, hierarchy.aggregates);
