/** The aggregate series of a hierarchy, computed from its bottom series. */
import { ConfigError } from '@nflab/contracts';
import type { PanelRow } from '../data/panel.js';
import { bottomCount, bottomIds, checkHierarchy, type Hierarchy } from './hierarchy.js';

/**
 * `rows` of the bottom series plus one row per aggregate and date: y = Σ S[i][j]·y_j. Every bottom
 * series must have a y on every date any of them has (a total of some positions is not the total),
 * else a ConfigError names the series and the date. Aggregate rows carry unique_id, ds and y only.
 */
export const withAggregates = (rows: readonly PanelRow[], hierarchy: Hierarchy): PanelRow[] => {
  checkHierarchy(hierarchy);
  const bottom = bottomIds(hierarchy);
  const column = new Map(bottom.map((id, j) => [id, j]));
  const byDate = new Map<string, { ds: PanelRow['ds']; y: (number | undefined)[] }>();
  const kept: PanelRow[] = [];
  for (const row of rows) {
    const j = column.get(String(row.unique_id));
    if (j === undefined) {
      if (hierarchy.ids.includes(String(row.unique_id)))
        throw new ConfigError(
          `hierarchy: rows already hold aggregate series '${row.unique_id}'; pass the bottom series only`,
        );
      continue;
    }
    kept.push(row);
    const key = String(row.ds);
    let date = byDate.get(key);
    if (date === undefined) {
      date = { ds: row.ds, y: new Array<number | undefined>(bottom.length) };
      byDate.set(key, date);
    }
    if (typeof row.y === 'number' && Number.isFinite(row.y)) date.y[j] = row.y;
  }
  const nAgg = hierarchy.ids.length - bottomCount(hierarchy);
  const aggregates: PanelRow[] = [];
  for (const [key, date] of byDate) {
    const missing = bottom.findIndex((_, j) => date.y[j] === undefined);
    if (missing >= 0)
      throw new ConfigError(
        `hierarchy: series '${bottom[missing]}' has no y on ${key}, so its aggregates cannot be summed there; fill or drop that date for every series`,
      );
    for (let i = 0; i < nAgg; i += 1) {
      const weights = hierarchy.S[i] as readonly number[];
      const y = weights.reduce((sum, weight, j) => sum + weight * (date.y[j] as number), 0);
      aggregates.push({ unique_id: hierarchy.ids[i] as string, ds: date.ds, y });
    }
  }
  return [...aggregates, ...kept];
};
