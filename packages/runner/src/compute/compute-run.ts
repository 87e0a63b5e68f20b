/**
 * The compute step of a run: everything between "data loaded" and "results ready" — the search or
 * plain fit, the forecast, the rolling forecasts over the held-out test part, cross-validation and
 * the saved model. Pure engine work with no database: it runs in a worker thread of its own (see
 * compute-thread.ts) so concurrent runs use all cores and the main thread stays free for
 * heartbeats, and it can run in-thread for tests.
 */
import { isMainThread } from 'node:worker_threads';
import { baseModelId, ConfigError, isAutoModel } from '@nflab/contracts';
import {
  AutoModel,
  enableNativeMatmul,
  engineRuntime,
  ensureBackend,
  NeuralForecast,
  TrialWorkerPool,
  withNativeThreads,
  type CrossValidationRow,
  type ForecastRow,
  type TrainingEvent,
} from '@nflab/engine';
import type { JsonValue, StudyStorage } from '@nflab/tune';
import type { ComputeJob, ComputeResult, ModelProperties, StepEvent, WrittenFile } from './compute-types.js';
import { autoModelOptions, plainModelConfig, runSizes } from './model-config.js';
import { describeFiles, digestOf } from './model-files.js';
import { dropSeriesTail, selectRows, type RunData } from './run-data.js';

/** What the compute step reports while it works. */
export interface ComputeHooks {
  /** Where the search's study and trials live (the run's PostgreSQL storage, proxied). */
  readonly storage: StudyStorage;
  readonly signal: AbortSignal;
  readonly onStep: (event: StepEvent) => void;
  readonly onLog: (message: string) => void;
}

interface Fitted {
  readonly nf: NeuralForecast;
  readonly searchSpace?: Readonly<Record<string, JsonValue>>;
  readonly config: Record<string, JsonValue>;
  readonly validLoss: number | null;
}

const lastValid = (): { record: (event: TrainingEvent) => void; value: () => number | null } => {
  let last: number | null = null;
  return {
    record: (event) => {
      if (event.kind === 'valid') last = event.loss;
    },
    value: () => last,
  };
};

const newForecaster = (job: ComputeJob, config: Readonly<Record<string, JsonValue>>): NeuralForecast =>
  new NeuralForecast({
    models: [{ id: baseModelId(job.spec.model), config }],
    freq: job.data.freq,
    localScalerType: job.spec.local_scaler_type,
  });

/**
 * Trial workers of this compute thread by size, kept for the next run (each worker loads the
 * engine once). Only in a compute thread: there they end with the thread; in the main thread
 * they would keep the process alive, so the Auto model starts and stops its own.
 */
const trialPools = new Map<number, TrialWorkerPool>();
const trialPoolFor = (cpus: number): TrialWorkerPool | undefined => {
  if (isMainThread || cpus < 2) return undefined;
  let pool = trialPools.get(cpus);
  if (!pool) {
    pool = new TrialWorkerPool(cpus);
    trialPools.set(cpus, pool);
  }
  return pool;
};

/** The Auto search, then the refit of its best configuration. */
const fitAuto = async (job: ComputeJob, df: RunData['columns'], hooks: ComputeHooks): Promise<Fitted> => {
  const { valSize } = runSizes(job.spec);
  const trialPool = trialPoolFor(job.cpus);
  const auto = new AutoModel({
    ...autoModelOptions(job.spec, job.data.exog, job.cpus),
    freq: job.data.freq,
    signal: hooks.signal,
    storage: hooks.storage,
    ...(trialPool ? { trialPool } : {}),
    studyName: job.studyName,
    onTrialStep: ({ number, kind, step, loss }) => hooks.onStep({ trial: number, kind, step, loss }),
    onRefitStep: ({ kind, step, loss }) => hooks.onStep({ trial: null, kind, step, loss }),
  });
  await auto.fit({ df, staticDf: job.data.staticRows, valSize });
  const best = await auto.lastStudy?.bestTrial();
  hooks.onLog(`search: best trial ${best?.number ?? '?'} with validation loss ${best?.value ?? '?'}`);
  return {
    nf: auto.model,
    searchSpace: auto.space as unknown as Record<string, JsonValue>,
    config: { ...auto.bestConfig },
    validLoss: best?.value ?? null,
  };
};

/** One fit of a fixed config (a plain model run, or a refit of a parent's config). */
const fitFixed = async (
  job: ComputeJob,
  config: Readonly<Record<string, JsonValue>>,
  df: RunData['columns'],
  valSize: number,
  hooks: ComputeHooks,
): Promise<Fitted> => {
  const nf = newForecaster(job, config);
  const valid = lastValid();
  await nf.fit({
    df,
    staticDf: job.data.staticRows,
    valSize,
    signal: hooks.signal,
    onProgress: ({ model: _model, ...event }) => {
      valid.record(event);
      hooks.onStep({ trial: null, ...event });
    },
  });
  return { nf, config: { ...config }, validLoss: valid.value() };
};

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
const forecastTestPart = async (
  nf: NeuralForecast,
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

const describeModel = async (
  job: ComputeJob,
  nf: NeuralForecast,
  files: readonly WrittenFile[],
): Promise<ModelProperties> => {
  const model = nf.models[0];
  if (!model?.network) throw new ConfigError('the fitted forecaster has no trained network');
  const variables = model.network.variables.map((v) => ({ name: v.name, shape: [...v.shape] }));
  return {
    model: model.entry.id,
    label: model.name,
    parameterCount: model.network.variables.reduce((sum, v) => sum + v.size, 0),
    variables,
    inputSize: model.common.input_size,
    h: model.common.h,
    exogenous: {
      futr: [...model.exog.futr],
      hist: [...model.exog.hist],
      stat: [...model.exog.stat],
    },
    modelDir: files.length > 0 ? job.modelDir : null,
    fileBytes: files.length > 0 ? files.reduce((sum, f) => sum + f.bytes, 0) : null,
    sha256: files.length > 0 ? digestOf(job.modelDir, files) : null,
  };
};

// save creates the folder itself, so a save that fails (full disk) removes the folder with its partial files.
const saveModel = async (nf: NeuralForecast, job: ComputeJob): Promise<WrittenFile[]> => {
  await nf.save(job.modelDir);
  return describeFiles(job.modelDir);
};

/** A forecast beyond the data, or why there is none. */
const forecastBeyond = async (
  nf: NeuralForecast,
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

const crossValidate = async (
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

/** Trains (or loads) the run's model and produces everything its record needs. */
export const computeRun = async (job: ComputeJob, hooks: ComputeHooks): Promise<ComputeResult> => {
  await ensureBackend();
  if (job.nativeMatmul) {
    const native = enableNativeMatmul({ threads: job.cpus > 1 ? 1 : undefined });
    hooks.onLog(`native matmul: ${native.enabled ? `OpenBLAS ${native.coreType ?? ''}` : native.reason}`);
  }
  // An Auto search's trials run in workers with one BLAS thread each (set above; the count is
  // process-wide). Everything else a run computes — plain fits, forecasts, cross-validation — runs
  // alone on this thread, so it gets all the run's cpus (the Auto refit does so itself).
  const alone = <T>(compute: () => Promise<T>): Promise<T> => withNativeThreads(job.cpus, compute);
  const notes: string[] = [];
  const sizes = runSizes(job.spec);
  const operation = job.operation;
  let fitted: Fitted;
  let test: CrossValidationRow[] = [];
  let cv: CrossValidationRow[] = [];
  let forecasts: ForecastRow[] = [];
  let files: WrittenFile[] = [];

  if (operation.kind === 'predict') {
    if (!job.parent) throw new ConfigError('predict needs the parent run’s saved model');
    const nf = await NeuralForecast.load(job.parent.modelDir);
    fitted = { nf, config: { ...job.parent.config }, validLoss: null };
    // Models with futr columns need the next draws' calendar values (see future-frame.ts).
    const futrDf = job.data.future?.kind === 'frame' ? { futrDf: job.data.future.futrDf } : {};
    forecasts = operation.latest_data
      ? await nf.predict({ df: job.data.columns, staticDf: job.data.staticRows, ...futrDf })
      : await nf.predict(futrDf);
    notes.push(`forecast from ${operation.latest_data ? 'the table’s current rows' : 'the parent’s data'}`);
  } else if (operation.kind === 'cv') {
    if (!job.parent) throw new ConfigError('cv needs the parent run’s configuration');
    const parentConfig = job.parent.config;
    cv = await alone(() =>
      crossValidate(
        job,
        parentConfig,
        {
          nWindows: operation.n_windows,
          stepSize: operation.step_size,
          refit: operation.refit,
          valSize: sizes.valSize,
        },
        hooks,
      ),
    );
    return {
      modelColumn:
        Object.keys(cv[0] ?? {}).find((k) => !['unique_id', 'ds', 'cutoff', 'y'].includes(k)) ?? '',
      searchSpace: null,
      config: { ...parentConfig },
      validLoss: null,
      forecasts: [],
      test: [],
      cv,
      modelProperties: null,
      files: [],
      runtime: engineRuntime(),
      notes,
    };
  } else {
    const df = dropSeriesTail(job.data, sizes.testSize);
    if (operation.kind === 'refit') {
      if (!job.parent) throw new ConfigError('refit needs the parent run’s configuration');
      const config = job.parent.config;
      fitted = await alone(() => fitFixed(job, config, df, sizes.valSize, hooks));
    } else if (isAutoModel(job.spec.model)) {
      fitted = await fitAuto(job, df, hooks);
    } else {
      const config = plainModelConfig(job.spec, job.data.exog);
      fitted = await alone(() => fitFixed(job, config, df, sizes.valSize, hooks));
    }
    const nf = fitted.nf;
    if (sizes.testSize > 0) {
      // The forecast right after the training data is the first test window's.
      const rolled = await alone(() => forecastTestPart(nf, job, sizes.testSize));
      test = rolled.rows;
      forecasts = rolled.first;
      notes.push(`test part: ${sizes.testSize} rows per series held out, ${test.length} rolling forecasts`);
    } else {
      forecasts = await alone(() => forecastBeyond(nf, job, notes));
    }
    const crossValidation = job.spec.cross_validation;
    if (crossValidation !== null) {
      const config = fitted.config;
      cv = await alone(() =>
        crossValidate(
          job,
          config,
          {
            nWindows: crossValidation.n_windows,
            stepSize: crossValidation.step_size,
            refit: crossValidation.refit,
            valSize: sizes.valSize,
          },
          hooks,
        ),
      );
    }
    files = await saveModel(fitted.nf, job);
  }
  try {
    const modelProperties = await describeModel(job, fitted.nf, files);
    return {
      modelColumn: modelProperties.label,
      searchSpace: fitted.searchSpace ?? null,
      config: fitted.config,
      validLoss: fitted.validLoss,
      forecasts,
      test,
      cv,
      modelProperties,
      files,
      runtime: engineRuntime(),
      notes,
    };
  } finally {
    fitted.nf.dispose();
  }
};
