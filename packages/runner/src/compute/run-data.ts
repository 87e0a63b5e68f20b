/**
 * A run's input data as the compute side takes it — the column frame the engine fits on, the
 * exogenous columns by role, the series' extents, and the futr_df of the forecast beyond the data —
 * and the row selections the compute step makes on it. Cloneable to a worker thread; loading it
 * from the database is execute/load-run-data.ts.
 */
import { ConfigError, type ExogKind } from '@nflab/contracts';
import type { Freq, PanelColumns, StaticRow } from '@nflab/engine';

/** Exogenous column names by role, as NeuralForecast's `*_exog_list`. */
export type ExogLists = Readonly<Record<ExogKind, readonly string[]>>;

/** One series' rows in the frame. */
export interface RunSeries {
  readonly uniqueId: string;
  readonly start: number;
  readonly length: number;
}

/** A run's input data, cloneable to a worker thread. */
export interface RunData {
  /** Long frame: unique_id, ds, y and every temporal exogenous column; rows by series then ds. */
  readonly columns: PanelColumns & {
    readonly unique_id: readonly string[];
    readonly ds: readonly (string | number)[];
    readonly y: readonly (number | null)[];
  };
  readonly staticRows: readonly StaticRow[];
  readonly exog: ExogLists;
  readonly freq: Freq;
  readonly series: readonly RunSeries[];
  /** SHA-256 of the values above (series, ds, y, exogenous and static values). */
  readonly fingerprint: string;
  /** futr_df of the forecast beyond the last row; null when the model uses no futr columns. */
  readonly future: FutureFrame | null;
}

/** A futr_df for every series, or why none can be built. */
export type FutureFrame =
  | { readonly kind: 'frame'; readonly futrDf: PanelColumns; readonly description: string }
  | { readonly kind: 'unavailable'; readonly reason: string };

/**
 * The rows of every series between offsets `[from, to)` of that series (0 = its first row), as a
 * frame of the same columns; `range` may differ per series. Series stay in order.
 */
export const selectRows = (
  data: RunData,
  range: (series: RunSeries) => readonly [from: number, to: number],
): RunData['columns'] => {
  const keep: number[] = [];
  for (const series of data.series) {
    const [from, to] = range(series);
    for (let i = series.start + Math.max(0, from); i < series.start + Math.min(series.length, to); i += 1)
      keep.push(i);
  }
  const out: Record<string, unknown[]> = {};
  for (const [name, values] of Object.entries(data.columns)) {
    if (values !== undefined) out[name] = keep.map((i) => values[i]);
  }
  return out as unknown as RunData['columns'];
};

/** The frame without the last `rows` rows of every series (the held-out test part). */
export const dropSeriesTail = (data: RunData, rows: number): RunData['columns'] => {
  if (rows === 0) return data.columns;
  const short = data.series.find((series) => series.length - rows < 1);
  if (short) {
    throw new ConfigError(
      `test_size: series ${short.uniqueId} has ${short.length} rows; holding out ${rows} leaves none to train on`,
    );
  }
  return selectRows(data, (series) => [0, series.length - rows]);
};
