/**
 * A hierarchy of series: which series add up to which, as the summing matrix S of the
 * reconciliation literature (HierarchicalForecast's `aggregate`): one row per series, aggregates
 * first, then the bottom series as the identity block; S[i][j] = 1 when bottom series j adds into
 * series i.
 */
import { ConfigError } from '@nflab/contracts';

export interface Hierarchy {
  /** Every series in S's row order: the aggregates, then the bottom series. */
  readonly ids: readonly string[];
  /** ids.length rows × bottom columns. */
  readonly S: readonly (readonly number[])[];
}

/** An aggregate series: its id and the bottom series it sums. */
export interface AggregateGroup {
  readonly id: string;
  readonly members: readonly string[];
}

/** Number of bottom series (columns of S). */
export const bottomCount = (hierarchy: Hierarchy): number => hierarchy.S[0]?.length ?? 0;

/** The bottom series' ids, in S's column order. */
export const bottomIds = (hierarchy: Hierarchy): readonly string[] =>
  hierarchy.ids.slice(hierarchy.ids.length - bottomCount(hierarchy));

/**
 * Builds the hierarchy of `aggregates` over `bottom` (e.g. the total of a draw's six positions:
 * `[{ id: 'total', members: ['N1', …, 'N6'] }]`).
 */
export const hierarchyFromGroups = (
  bottom: readonly string[],
  aggregates: readonly AggregateGroup[],
): Hierarchy => {
  const column = new Map(bottom.map((id, j) => [id, j]));
  const rows = aggregates.map((group) => {
    const row = new Array<number>(bottom.length).fill(0);
    if (group.members.length === 0)
      throw new ConfigError(`hierarchy: aggregate '${group.id}' lists no members`);
    for (const member of group.members) {
      const j = column.get(member);
      if (j === undefined)
        throw new ConfigError(
          `hierarchy: aggregate '${group.id}' lists '${member}', which is not a bottom series (${bottom.join(', ')})`,
        );
      row[j] = 1;
    }
    return row;
  });
  const identity = bottom.map((_, i) => bottom.map((__, j) => (i === j ? 1 : 0)));
  const hierarchy = { ids: [...aggregates.map((g) => g.id), ...bottom], S: [...rows, ...identity] };
  checkHierarchy(hierarchy);
  return hierarchy;
};

/**
 * Refuses a malformed hierarchy with the reason: S's shape must match the ids, the last rows must
 * be the identity (the bottom series themselves), ids must be unique, and there must be at least
 * one aggregate — without one there is nothing to reconcile.
 */
export const checkHierarchy = (hierarchy: Hierarchy): void => {
  const { ids, S } = hierarchy;
  const b = bottomCount(hierarchy);
  if (S.length !== ids.length)
    throw new ConfigError(
      `hierarchy: S has ${S.length} rows but ${ids.length} series ids; one row per series`,
    );
  if (b === 0) throw new ConfigError('hierarchy: S needs at least one bottom series (column)');
  if (S.length <= b)
    throw new ConfigError(
      'hierarchy: S has no aggregate rows; list the aggregate series first, then the bottom series',
    );
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new ConfigError(`hierarchy: series '${id}' appears twice`);
    seen.add(id);
  }
  const nAgg = S.length - b;
  S.forEach((row, i) => {
    if (row.length !== b)
      throw new ConfigError(
        `hierarchy: row ${i} ('${ids[i]}') of S has ${row.length} entries; expected ${b}`,
      );
    row.forEach((value, j) => {
      if (!Number.isFinite(value) || value < 0)
        throw new ConfigError(
          `hierarchy: S[${i}][${j}] is ${value}; entries are non-negative weights (0 or 1)`,
        );
      if (i >= nAgg && value !== (i - nAgg === j ? 1 : 0))
        throw new ConfigError(
          `hierarchy: the last ${b} rows of S must be the identity (row ${i}, '${ids[i]}', is a bottom series)`,
        );
    });
    if (i < nAgg && row.every((value) => value === 0))
      throw new ConfigError(`hierarchy: aggregate '${ids[i]}' (row ${i} of S) sums no bottom series`);
  });
};
