/**
 * The futr_df of a forecast beyond the last row. Future exogenous values must be known for the
 * horizon; the feature view's `futr_*` columns are calendar features, so they are known once the
 * game's next draw dates are. Columns of any other kind (a user's own futr column) have no future
 * values, and then the run says why it has no such forecast.
 */
import { GAMES, type GameRules, type RunSpec } from '@nflab/contracts';
import type { PanelColumns } from '@nflab/engine';
import { futureCalendar, nonCalendarColumns } from '@nflab/store';
import type { ExogLists, FutureFrame, RunSeries } from '../compute/run-data.js';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** What the frame is built from: the run's spec and its loaded data. */
export interface FutureFrameInput {
  readonly spec: Pick<RunSpec, 'loto' | 'h'>;
  readonly exog: ExogLists;
  readonly series: readonly RunSeries[];
  readonly ds: readonly (string | number)[];
  readonly irregular: boolean;
}

/** The futr_df of the run's forecast beyond its data; null when the model uses no futr columns. */
export const futureFrame = ({ spec, exog, series, ds, irregular }: FutureFrameInput): FutureFrame | null => {
  const columns = exog.futr;
  if (columns.length === 0) return null;
  const unknown = nonCalendarColumns(columns);
  if (unknown.length > 0) {
    return {
      kind: 'unavailable',
      reason: `futr exogenous columns ${unknown.join(', ')} are not calendar features and have no values after the last row`,
    };
  }
  const game = (GAMES as Partial<Record<string, GameRules>>)[spec.loto];
  if (!game) {
    return {
      kind: 'unavailable',
      reason: `'${spec.loto}' is not a game with a draw schedule, so its next draw dates are unknown`,
    };
  }
  const lastDays = series.map((s) => ds[s.start + s.length - 1]);
  if (!irregular || !lastDays.every((d) => typeof d === 'string' && ISO_DAY.test(d))) {
    return {
      kind: 'unavailable',
      reason: 'the next draws follow the game’s schedule, which needs draw dates as ds (freq irregular)',
    };
  }
  const frame: Record<string, unknown[]> = {
    unique_id: [],
    ds: [],
    ...Object.fromEntries(columns.map((c) => [c, []])),
  };
  const firstDays: string[] = [];
  for (const [i, s] of series.entries()) {
    const lastDs = lastDays[i] as string;
    const next = futureCalendar({ game, lastDs, count: spec.h, columns });
    firstDays.push(next.ds[0] ?? '');
    next.ds.forEach((day, i) => {
      frame.unique_id!.push(s.uniqueId);
      frame.ds!.push(day);
      for (const column of columns) frame[column]!.push(next.values[column]![i]);
    });
  }
  const first = [...new Set(firstDays)].sort()[0] ?? '';
  return {
    kind: 'frame',
    futrDf: frame as unknown as PanelColumns,
    description: `futr columns (${columns.join(', ')}) computed for the game's next ${spec.h} draw dates from ${first}`,
  };
};
