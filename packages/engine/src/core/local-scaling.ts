/**
 * Local (per-series) scaling in the core, as NeuralForecast's `local_scaler_type`: every temporal
 * column of each series is scaled with its own fitted parameters before windows are cut; only the
 * target is inverted on outputs. Box-Cox scales the target only (exogenous columns may be negative).
 */
import type { Panel, Series } from '../data/panel.js';
import { applyLocalScaler, fitLocalScaler, invertLocalScaler } from '../scalers/local-scalers.js';
import type { LocalScalerParams, LocalScalerType } from '../scalers/types.js';

/** Fitted parameters per series id, per column (`y` and exogenous names). */
export type LocalScalerState = Record<string, Record<string, LocalScalerParams>>;

/** Category codes are labels, not magnitudes: NeuralForecast's local scalers skip them. */
const scaledColumns = (panel: Panel, type: LocalScalerType, categorical: ReadonlySet<string>): string[] =>
  type === 'boxcox' ? ['y'] : ['y', ...panel.exogColumns.filter((c) => !categorical.has(c))];

/** Fits parameters for every series of `panel` not yet in `state` (returns a new state). */
export const fitLocalScalers = (
  panel: Panel,
  type: LocalScalerType,
  state: LocalScalerState = {},
  categorical: ReadonlySet<string> = new Set(),
): LocalScalerState => {
  const out: LocalScalerState = { ...state };
  for (const series of panel.series) {
    if (out[series.id]) continue;
    const params: Record<string, LocalScalerParams> = {};
    for (const column of scaledColumns(panel, type, categorical)) {
      params[column] =
        column === 'y'
          ? fitLocalScaler(type, series.y, series.mask)
          : fitLocalScaler(type, series.exog[column] as Float64Array);
    }
    out[series.id] = params;
  }
  return out;
};

/** Scales one column of a series (NaN-free: positions with mask 0 stay 0 for the target). */
const scaleSeries = (series: Series, params: Readonly<Record<string, LocalScalerParams>>): Series => {
  const yParams = params.y;
  let y = series.y;
  if (yParams) {
    y = applyLocalScaler(yParams, series.y);
    for (let i = 0; i < y.length; i += 1)
      if (series.mask[i] === 0 || !Number.isFinite(y[i] as number)) y[i] = 0;
  }
  const exog = Object.fromEntries(
    Object.entries(series.exog).map(([name, values]) => {
      const p = params[name];
      return [name, p ? applyLocalScaler(p, values) : values];
    }),
  );
  return { ...series, y, exog };
};

/** A copy of `panel` with every series scaled by its parameters. */
export const applyLocalScalers = (panel: Panel, state: LocalScalerState): Panel => ({
  ...panel,
  series: panel.series.map((s) =>
    state[s.id] ? scaleSeries(s, state[s.id] as Record<string, LocalScalerParams>) : s,
  ),
});

/** Scales future values of one exogenous column of a series (unchanged when not scaled). */
export const scaleColumn = (
  state: LocalScalerState | null,
  id: string,
  column: string,
  values: ArrayLike<number>,
): ArrayLike<number> => {
  const params = state?.[id]?.[column];
  return params ? applyLocalScaler(params, values) : values;
};

/** Maps target values of one series back to its original space (unchanged without a scaler). */
export const invertTarget = (
  state: LocalScalerState | null,
  id: string,
  values: ArrayLike<number>,
): ArrayLike<number> => {
  const params = state?.[id]?.y;
  return params ? invertLocalScaler(params, values) : values;
};
