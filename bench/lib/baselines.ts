/**
 * Cross-validation windows as NeuralForecast's `cross_validation(n_windows, step_size)` lays them
 * out, and the simple baselines scored on exactly those windows (per series, from data up to each
 * cutoff): the historical mean, the seasonal naive and the naive last value. Pure functions, so the
 * windowing is checked against NeuralForecast's own baseline figures in a test.
 */

/** One series: its id, its `ds` values as the bench passed them, and its values. */
export interface BenchSeries {
  readonly id: string;
  readonly ds: readonly (string | number)[];
  readonly y: readonly number[];
}

/** One forecast target of a window: the series, the cutoff (last point seen) and the target point. */
export interface WindowTarget {
  readonly unique_id: string;
  readonly cutoff: string | number;
  readonly ds: string | number;
  readonly y: number;
  /** Index of the cutoff (last training point) in the series. */
  readonly cutoffIndex: number;
  /** 1..h: steps after the cutoff. */
  readonly step: number;
}

/** Options of {@link windowTargets}: the horizon and window layout of `crossValidation`. */
export interface WindowLayout {
  readonly h: number;
  readonly nWindows: number;
  readonly stepSize: number;
}

/**
 * Every target of every window, ordered as cross-validation rows (series, cutoff, ds): the test part
 * is the last `h + stepSize·(nWindows − 1)` points of each series; window k's cutoff is the point
 * just before `T − testSize + k·stepSize`.
 */
export const windowTargets = (series: readonly BenchSeries[], layout: WindowLayout): WindowTarget[] => {
  const { h, nWindows, stepSize } = layout;
  const testSize = h + stepSize * (nWindows - 1);
  return [...series]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .flatMap((s) =>
      Array.from({ length: nWindows }, (_, k) => s.y.length - testSize + k * stepSize - 1).flatMap(
        (cutoffIndex) =>
          Array.from({ length: h }, (_, j) => ({
            unique_id: s.id,
            cutoff: s.ds[cutoffIndex] as string | number,
            ds: s.ds[cutoffIndex + j + 1] as string | number,
            y: s.y[cutoffIndex + j + 1] as number,
            cutoffIndex,
            step: j + 1,
          })),
      ),
    );
};

/** The three baselines, by name: each a forecast per target or a pooled MAE. */
export interface BaselineValues<T> {
  readonly historical_mean: T;
  /** ŷ[c+j] = y[c + j − m·⌈j/m⌉]: the value one season before, from data up to the cutoff c. */
  readonly seasonal_naive: T;
  readonly naive_last_value: T;
}

/** Pooled MAE of the three baselines over `targets`. */
export type BaselineMae = BaselineValues<number>;

/** Each baseline's forecast of every target, in `targets`' order, from data up to its cutoff. */
export const baselineForecasts = (
  series: readonly BenchSeries[],
  targets: readonly WindowTarget[],
  season: number,
): BaselineValues<number[]> => {
  const byId = new Map(series.map((s) => [s.id, s.y]));
  const forecasts = {
    historical_mean: [] as number[],
    seasonal_naive: [] as number[],
    naive_last_value: [] as number[],
  };
  const means = new Map<string, number>();
  for (const t of targets) {
    const y = byId.get(t.unique_id) as readonly number[];
    const key = `${t.unique_id}|${t.cutoffIndex}`;
    let mean = means.get(key);
    if (mean === undefined) {
      mean = y.slice(0, t.cutoffIndex + 1).reduce((a, b) => a + b, 0) / (t.cutoffIndex + 1);
      means.set(key, mean);
    }
    forecasts.historical_mean.push(mean);
    forecasts.seasonal_naive.push(y[t.cutoffIndex + t.step - season * Math.ceil(t.step / season)] as number);
    forecasts.naive_last_value.push(y[t.cutoffIndex] as number);
  }
  return forecasts;
};

/** MAE of each baseline over `targets`, pooled over series, windows and horizon steps. */
export const baselineMae = (
  series: readonly BenchSeries[],
  targets: readonly WindowTarget[],
  season: number,
): BaselineMae => {
  const forecasts = baselineForecasts(series, targets, season);
  const mae = (yhat: readonly number[]) => meanAbsolute(targets.map((t, i) => (yhat[i] as number) - t.y));
  return {
    historical_mean: mae(forecasts.historical_mean),
    seasonal_naive: mae(forecasts.seasonal_naive),
    naive_last_value: mae(forecasts.naive_last_value),
  };
};

/** A cross-validation row as the engine returns it (model columns by name). */
export interface CvRowLike {
  readonly unique_id: string;
  readonly ds: string | number;
  readonly cutoff: string | number;
  readonly y: number | null;
  readonly [column: string]: string | number | null;
}

/**
 * The forecast errors ŷ − y of `column` over `rows`, after checking that the rows are exactly
 * `targets` (same series, cutoff, ds and y, in order): the model is then scored on the baselines'
 * windows, and its errors pair with theirs point for point.
 */
export const modelErrors = (
  rows: readonly CvRowLike[],
  targets: readonly WindowTarget[],
  column: string,
): number[] => {
  if (rows.length !== targets.length) {
    throw new Error(
      `cross-validation returned ${rows.length} rows; the windows have ${targets.length} targets`,
    );
  }
  return rows.map((row, i) => {
    const t = targets[i] as WindowTarget;
    if (row.unique_id !== t.unique_id || row.cutoff !== t.cutoff || row.ds !== t.ds || row.y !== t.y) {
      throw new Error(
        `cross-validation row ${i} ${JSON.stringify(row)} is not window target ${JSON.stringify(t)}`,
      );
    }
    const forecast = row[column];
    if (typeof forecast !== 'number' || !Number.isFinite(forecast)) {
      throw new Error(`cross-validation row ${i} has no finite '${column}' forecast: ${JSON.stringify(row)}`);
    }
    return forecast - t.y;
  });
};

/** The mean of |e| over `errors`: the MAE of forecast errors. */
export const meanAbsolute = (errors: readonly number[]): number =>
  errors.reduce((sum, e) => sum + Math.abs(e), 0) / errors.length;

/** Pooled MAE of `column` over `rows` (checked against `targets` as {@link modelErrors} does). */
export const modelMae = (
  rows: readonly CvRowLike[],
  targets: readonly WindowTarget[],
  column: string,
): number => meanAbsolute(modelErrors(rows, targets, column));
