/**
 * The shared conformance suite of a registered model (NeuralForecast's `check_model`): it learns a
 * noiseless sine + trend panel, round-trips through save/load to identical forecasts, leaks no
 * tensors, and reports unsupported or missing exogenous columns as ConfigErrors; a multivariate
 * model also must require n_series, refuse a panel of another width and handle series of different
 * lengths (NeuralForecast's left padding) through predict and crossValidation. A new model is
 * covered by one line in the test that loops over the registry.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@nflab/contracts';
import { NeuralForecast } from '../core/neural-forecast.js';
import type { ForecastRow } from '../core/types.js';
import type { PanelRow } from '../data/panel.js';
import { getModelSpec } from '../models/registry.js';

/** Options of {@link checkModel}. */
export interface CheckModelOptions {
  /** Model-specific overrides that keep the network small (hidden sizes …). @default {} */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Training steps of the fit check. @default 80 */
  readonly maxSteps?: number;
  /** The forecast MAE must stay below this fraction of the historical-mean forecast's MAE. @default 0.5 */
  readonly maxRelativeError?: number;
  /** Training windows per step of the fit check. @default 64 */
  readonly windowsBatchSize?: number;
}

/** What the suite measured, for reporting. */
export interface CheckModelReport {
  readonly id: string;
  readonly mae: number;
  readonly baselineMae: number;
  readonly variables: number;
}

const H = 4;
const INPUT = 16;
const LENGTH = 72;

/** Two daily series of sine + trend (period 8), different phases and levels; `futr_a`, `hist_a`, `stat_a` as exogenous. */
const fixture = (): { rows: PanelRow[]; staticRows: { unique_id: string; stat_a: number }[] } => {
  const rows = ['s1', 's2'].flatMap((id, k) =>
    Array.from({ length: LENGTH }, (_, t) => ({
      unique_id: id,
      ds: new Date(Date.UTC(2020, 0, 1 + t)).toISOString().slice(0, 10),
      y: 2 * k + Math.sin((2 * Math.PI * t) / 8 + k) + 0.02 * t,
      futr_a: Math.cos((2 * Math.PI * t) / 8),
      hist_a: t / LENGTH,
    })),
  );
  return {
    rows,
    staticRows: [
      { unique_id: 's1', stat_a: 0 },
      { unique_id: 's2', stat_a: 1 },
    ],
  };
};

const fail = (id: string, message: string): never => {
  // A conformance failure is a bug in the model, not bad user input: a plain Error for the test runner.
  throw new Error(`checkModel('${id}'): ${message}`);
};

const expectConfigError = async (
  id: string,
  what: string,
  run: () => unknown,
  pattern: RegExp,
): Promise<void> => {
  try {
    await run();
  } catch (error) {
    if (error instanceof ConfigError && pattern.test(error.message)) return;
    fail(id, `${what}: expected a ConfigError matching ${String(pattern)}, got ${String(error)}`);
  }
  fail(id, `${what}: expected a ConfigError, nothing was thrown`);
};

/** Runs the suite for registry model `id`; resolves with the measurements or throws naming the failed check. */
export const checkModel = async (id: string, options: CheckModelOptions = {}): Promise<CheckModelReport> => {
  const spec = getModelSpec(id);
  const { rows, staticRows } = fixture();
  const train = rows.filter((_, i) => i % LENGTH < LENGTH - H);
  const test = rows.filter((_, i) => i % LENGTH >= LENGTH - H);
  const config = {
    ...options.config,
    h: H,
    input_size: INPUT,
    max_steps: options.maxSteps ?? 80,
    learning_rate: 5e-3,
    windows_batch_size: options.windowsBatchSize ?? 64,
    scaler_type: 'standard',
    random_seed: 3,
  };
  const start = tf.memory().numTensors;
  const nf = new NeuralForecast({ models: [{ id, config }], freq: 'D' });
  let report: CheckModelReport;
  try {
    await nf.fit({ df: train.map(({ unique_id, ds, y }) => ({ unique_id, ds, y })) });
    const variables = nf.models[0]?.network?.variables.length ?? 0;
    const frozen = nf.models[0]?.network?.frozen?.length ?? 0;
    const fitted = tf.memory().numTensors;
    if (fitted - start !== variables + frozen)
      fail(id, `fit left ${fitted - start - variables - frozen} tensors besides its ${variables} variables`);
    const forecast = await nf.predict();
    if (tf.memory().numTensors !== fitted)
      fail(id, `predict leaked ${tf.memory().numTensors - fitted} tensors`);
    report = { id, ...accuracy(forecast, train, test, spec.label), variables };
    const limit = options.maxRelativeError ?? 0.5;
    if (!(report.mae < limit * report.baselineMae)) {
      fail(
        id,
        `forecast MAE ${report.mae.toFixed(4)} is not below ${limit} × the historical mean's MAE ${report.baselineMae.toFixed(4)}`,
      );
    }
    await checkRoundTrip(id, nf, forecast);
  } finally {
    nf.dispose();
  }
  if (tf.memory().numTensors !== start)
    fail(id, `${tf.memory().numTensors - start} tensors remain after dispose`);
  await checkExogenous(id, config, { rows, staticRows });
  if (spec.kind === 'multivariate') await checkMultivariate(id, config, rows);
  return report;
};

/**
 * A multivariate model's own rules: n_series is required and must equal the panel's width (a
 * ConfigError naming it otherwise), and series of different lengths are right-aligned with the
 * shorter one padded (NeuralForecast's rule) through fit, predict and crossValidation.
 */
const checkMultivariate = async (
  id: string,
  base: Record<string, unknown>,
  rows: PanelRow[],
): Promise<void> => {
  const small: Record<string, unknown> = { ...base, max_steps: 1 };
  const { n_series: _given, ...withoutSeries } = small;
  await expectConfigError(
    id,
    'missing n_series',
    () => new NeuralForecast({ models: [{ id, config: withoutSeries }], freq: 'D' }),
    /n_series/,
  );
  const wide = new NeuralForecast({ models: [{ id, config: { ...small, n_series: 3 } }], freq: 'D' });
  await expectConfigError(id, 'n_series 3 on 2 series', () => wide.fit({ df: rows }), /n_series 3.*2 series/);
  // s2 starts 8 steps late: its first windows are padded on the left, as NeuralForecast pads.
  const ragged = rows.filter((r, i) => r.unique_id === 's1' || i % LENGTH >= 8);
  const nf = new NeuralForecast({ models: [{ id, config: small }], freq: 'D' });
  try {
    await nf.fit({ df: ragged });
    const forecast = await nf.predict();
    if (
      forecast.length !== 2 * H ||
      forecast.some((r) => !Number.isFinite(r[getModelSpec(id).label] as number))
    )
      fail(id, 'predict on series of different lengths did not give finite forecasts for both series');
    const cv = await nf.crossValidation({ df: ragged, nWindows: 2, stepSize: H });
    if (cv.length !== 2 * 2 * H) fail(id, `crossValidation gave ${cv.length} rows, expected ${2 * 2 * H}`);
  } finally {
    nf.dispose();
  }
};

const accuracy = (
  forecast: ForecastRow[],
  train: PanelRow[],
  test: PanelRow[],
  column: string,
): { mae: number; baselineMae: number } => {
  let mae = 0;
  let baselineMae = 0;
  test.forEach((actual, i) => {
    const row = forecast[i];
    if (!row || row.unique_id !== actual.unique_id)
      fail(column, `predict rows are not in unique_id, ds order`);
    const history = train.filter((r) => r.unique_id === actual.unique_id).map((r) => r.y as number);
    const mean = history.reduce((a, b) => a + b, 0) / history.length;
    mae += Math.abs((row?.[column] as number) - (actual.y as number));
    baselineMae += Math.abs(mean - (actual.y as number));
  });
  return { mae: mae / test.length, baselineMae: baselineMae / test.length };
};

const checkRoundTrip = async (id: string, nf: NeuralForecast, forecast: ForecastRow[]): Promise<void> => {
  const dir = await mkdtemp(path.join(tmpdir(), `check-${id}-`));
  try {
    await nf.save(dir);
    const loaded = await NeuralForecast.load(dir);
    try {
      const again = await loaded.predict();
      if (JSON.stringify(again) !== JSON.stringify(forecast))
        fail(id, 'predictions after save/load differ from the saved model');
    } finally {
      loaded.dispose();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

const checkExogenous = async (
  id: string,
  base: Record<string, unknown>,
  data: { rows: PanelRow[]; staticRows: { unique_id: string; stat_a: number }[] },
): Promise<void> => {
  const spec = getModelSpec(id);
  const small = { ...base, max_steps: 1 };
  for (const kind of ['futr', 'hist', 'stat'] as const) {
    const config = { ...small, [`${kind}_exog_list`]: [`${kind}_a`] };
    if (!spec.exogenous[kind]) {
      await expectConfigError(
        id,
        `unsupported ${kind}_exog_list`,
        () => new NeuralForecast({ models: [{ id, config }], freq: 'D' }),
        new RegExp(`does not accept ${kind}_exog_list.*it accepts`),
      );
      continue;
    }
    const nf = new NeuralForecast({
      models: [{ id, config: { ...config, [`${kind}_exog_list`]: ['absent_column'] } }],
      freq: 'D',
    });
    await expectConfigError(
      id,
      `missing ${kind} column`,
      () => nf.fit({ df: data.rows, staticDf: data.staticRows }),
      /absent_column/,
    );
    const ok = new NeuralForecast({ models: [{ id, config }], freq: 'D' });
    try {
      await ok.fit({ df: data.rows, staticDf: data.staticRows });
      if (kind === 'futr')
        await expectConfigError(id, 'predict without futr_df', () => ok.predict(), /futr_df is required/);
      else if ((await ok.predict()).length !== 2 * H)
        fail(id, `predict with ${kind} exogenous returned the wrong number of rows`);
    } finally {
      ok.dispose();
    }
  }
};
