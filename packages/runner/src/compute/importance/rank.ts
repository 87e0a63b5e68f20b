/** Ranking columns and summarising per-window values into importance rows. */
import type { ExplainFeature, ExplainedWindow } from '@nflab/engine';
import type { ImportanceRow, RankedFeature } from './types.js';

/** An importance row before ranking. */
export type UnrankedRow = Omit<ImportanceRow, 'rank'>;

/**
 * Ranks rows within each `uniqueId` (all series, then each series): 1 = largest importance; ties
 * keep the order the rows came in (the model's column order), so ranks are always 1…n.
 */
export const rankRows = (rows: readonly UnrankedRow[]): ImportanceRow[] => {
  const groups = new Map<string | null, UnrankedRow[]>();
  for (const row of rows) groups.set(row.uniqueId, [...(groups.get(row.uniqueId) ?? []), row]);
  return [...groups.values()].flatMap((group) =>
    group
      .map((row, order) => ({ row, order }))
      .sort((a, b) => b.row.importance - a.row.importance || a.order - b.order)
      .map(({ row }, i) => ({ ...row, rank: i + 1 })),
  );
};

/** The all-series rows as the summary's ranking. */
export const rankingOf = (
  rows: readonly ImportanceRow[],
  features: readonly ExplainFeature[],
): RankedFeature[] =>
  rows
    .filter((row) => row.uniqueId === null)
    .sort((a, b) => a.rank - b.rank)
    .map((row) => ({
      feature: row.feature,
      kind: features.find((f) => f.name === row.feature)?.kind ?? 'futr',
      importance: row.importance,
      rank: row.rank,
    }));

/** Mean and standard deviation (divisor n) of `values`. */
const meanStd = (values: readonly number[]): { mean: number; std: number } => {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  return { mean, std: Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length) };
};

/**
 * Rows from per-window values (values[w][j]: window w, feature j): importance = mean |value| over
 * the windows of all series and of each series, std its spread over those windows, `mean_value`
 * the signed mean; the all-series row keeps every window's value (`values`, in window order).
 */
export const rowsFromWindowValues = (
  features: readonly ExplainFeature[],
  windows: readonly ExplainedWindow[],
  values: readonly (readonly number[])[],
): ImportanceRow[] => {
  const seriesIds = [...new Set(windows.map((w) => w.uniqueId))];
  const scopes: (string | null)[] = [null, ...seriesIds];
  const rows = scopes.flatMap((uniqueId) => {
    const picked = values.filter((_, w) => uniqueId === null || windows[w]?.uniqueId === uniqueId);
    return features.map((feature, j): UnrankedRow => {
      const signed = picked.map((row) => row[j] as number);
      const { mean, std } = meanStd(signed.map(Math.abs));
      return {
        feature: feature.name,
        uniqueId,
        importance: mean,
        std,
        ciLow: null,
        ciHigh: null,
        details: {
          kind: feature.kind,
          mean_value: meanStd(signed).mean,
          windows: signed.length,
          ...(uniqueId === null ? { values: signed } : {}),
        },
      };
    });
  });
  return rankRows(rows);
};
