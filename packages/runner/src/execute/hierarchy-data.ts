/**
 * A HINT run's frame: its series plus the aggregates its hierarchy sums from them, as one panel
 * (aggregates first, as the summing matrix lists them). The engine's `withAggregates` does the
 * sums and refuses dates some series lacks.
 */
import { withAggregates, type PanelRow } from '@nflab/engine';
import { runHierarchy, type HierarchyField } from '../compute/hierarchy.js';
import type { RunData, RunSeries } from '../compute/run-data.js';

/** `columns` (unique_id, ds, y of `series`) with the aggregate series prepended. */
export const withHierarchy = (
  columns: RunData['columns'],
  series: readonly RunSeries[],
  hierarchy: HierarchyField,
): { columns: RunData['columns']; series: RunSeries[] } => {
  const rows: PanelRow[] = columns.unique_id.map((id, i) => ({
    unique_id: id,
    ds: columns.ds[i] as string | number,
    y: columns.y[i] ?? null,
  }));
  const tree = runHierarchy(
    hierarchy,
    series.map((s) => s.uniqueId),
  );
  const bySeries = new Map<string, PanelRow[]>(tree.ids.map((id) => [id, []]));
  for (const row of withAggregates(rows, tree)) bySeries.get(String(row.unique_id))?.push(row);
  const out = { unique_id: [] as string[], ds: [] as (string | number)[], y: [] as (number | null)[] };
  const layout: RunSeries[] = [];
  for (const [uniqueId, seriesRows] of bySeries) {
    layout.push({ uniqueId, start: out.unique_id.length, length: seriesRows.length });
    for (const row of seriesRows) {
      out.unique_id.push(uniqueId);
      out.ds.push(row.ds as string | number);
      out.y.push((row.y as number | null | undefined) ?? null);
    }
  }
  return { columns: out, series: layout };
};
