/**
 * Forecasts a fitted run makes: rolling forecasts over the held-out test part, the forecast
 * beyond the data, and cross-validation of a config.
 */
import type { CrossValidationRow, ForecastRow } from '@nflab/engine';
import type { JsonValue } from '@nflab/tune';
import type { ComputeHooks, ComputeJob } from './compute-types.js';
import { newForecaster, type Forecaster } from './fit.js';
import { selectRows, type RunData } from './run-data.js';

const futureColumns = (data: RunData, columns: RunData['columns']): RunData['columns'] | undefined => {
  if (data.exog.futr.length === 0) return undefined;
  const out: Record<string, unknown> = { unique_id: columns.unique_id, ds: columns.ds };
  for (const name of data.exog.futr) out[name] = columns[name];
  return out as unknown as RunData['columns'];
};

/**
 * Rolling forecasts over the held-out test part with the fitted model (no refit, as
 * NeuralForecast's cross_validation with refit=False over test_size): window w forecasts h rows
 * from the history ending w·h rows into the test part; a last window shorter than h is skipped.
 */
export const forecastTestPart = async (
  nf: Forecaster,
  job: ComputeJob,
  testSize: number,
): Promise<{ rows: CrossValidationRow[]; first: ForecastRow[] }> => {
  const { h } = job.spec;
  const rows: CrossValidationRow[] = [];
  let first: ForecastRow[] | undefined;
  const actual = new Map<string, number | null>();
  job.data.columns.unique_id.forEach((id, i) =>
    actual.set(`${id}\0${String(job.data.columns.ds[i])}`, job.data.columns.y[i] ?? null),
  );
  for (let offset = testSize; offset >= h; offset -= h) {
    const history = selectRows(job.data, (s) => [0, s.length - offset]);
    const future = selectRows(job.data, (s) => [s.length - offset, s.length - offset + h]);
    const cutoffs = new Map<string, string | number>();
    history.unique_id.forEach((id, i) => cutoffs.set(String(id), history.ds[i] as string | number));
    const futrDf = futureColumns(job.data, future);
    const forecast = await nf.predict({
      df: history,
      staticDf: job.data.staticRows,
      ...(futrDf ? { futrDf } : {}),
    });
    first ??= forecast;
    for (const row of forecast) {
      rows.push({
        ...row,
        cutoff: cutoffs.get(String(row.unique_id)) as string | number,
        y: actual.get(`${row.unique_id}\0${String(row.ds)}`) ?? null,
      });
    }
  }
  return { rows, first: first ?? [] };
};

/** A forecast beyond the data, or why there is none. */
export const forecastBeyond = async (
  nf: Forecaster,
  job: ComputeJob,
  notes: string[],
): Promise<ForecastRow[]> => {
  const future = job.data.future;
  if (future === null) return nf.predict({ staticDf: job.data.staticRows });
  if (future.kind === 'unavailable') {
    notes.push(
      `forecast beyond the data skipped: ${future.reason}; ` +
        'hold out a test part (test_size) to see forecasts, or use calendar, hist or stat exogenous only',
    );
    return [];
  }
  notes.push(`forecast beyond the data: ${future.description}`);
  return nf.predict({ staticDf: job.data.staticRows, futrDf: future.futrDf });
};

/** Cross-validation of `config` on the run's data (a fresh forecaster, disposed after). */
export const crossValidate = async (
  job: ComputeJob,
  config: Readonly<Record<string, JsonValue>>,
  options: { nWindows: number; stepSize: number; refit: boolean | number; valSize: number },
  hooks: ComputeHooks,
): Promise<CrossValidationRow[]> => {
  const nf = newForecaster(job, config);
  try {
    hooks.onLog(
      `cross-validation: ${options.nWindows} window(s), step ${options.stepSize}, refit ${String(options.refit)}`,
    );
    return await nf.crossValidation({
      df: job.data.columns,
      staticDf: job.data.staticRows,
      nWindows: options.nWindows,
      stepSize: options.stepSize,
      refit: options.refit,
      valSize: options.valSize,
      signal: hooks.signal,
    });
  } finally {
    nf.dispose();
  }
};
