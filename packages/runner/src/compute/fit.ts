/**
 * Fitting a run's model: the Auto search with the refit of its best configuration, or one fit of
 * a fixed config (a plain model run, or a parent's config refitted). Every loss is reported as a step.
 */
import { isMainThread } from 'node:worker_threads';
import { baseModelId } from '@nflab/contracts';
import { AutoModel, Hint, NeuralForecast, TrialWorkerPool, type TrainingEvent } from '@nflab/engine';
import type { JsonValue } from '@nflab/tune';
import type { ComputeHooks, ComputeJob } from './compute-types.js';
import { runHierarchy } from './hierarchy.js';
import { autoModelOptions, runSizes } from './model-config.js';
import type { RunData } from './run-data.js';

/** What a run fits and forecasts with: its one model, or HINT around it over the run's hierarchy. */
export type Forecaster = NeuralForecast | Hint;

/** A fitted (or loaded) forecaster with the config it was fitted with. */
export interface Fitted {
  readonly nf: Forecaster;
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

/** A forecaster of the run's model with `config` (wrapped in HINT when the spec has a hierarchy). */
export const newForecaster = (job: ComputeJob, config: Readonly<Record<string, JsonValue>>): Forecaster => {
  const model = { id: baseModelId(job.spec.model), config };
  const options = { freq: job.data.freq, localScalerType: job.spec.local_scaler_type };
  const { hierarchy } = job.spec;
  if (hierarchy === undefined) return new NeuralForecast({ ...options, models: [model] });
  return new Hint({
    ...options,
    model,
    hierarchy: runHierarchy(hierarchy, job.spec.unique_ids),
    reconciliation: hierarchy.reconciliation,
  });
};

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
export const fitAuto = async (
  job: ComputeJob,
  df: RunData['columns'],
  hooks: ComputeHooks,
): Promise<Fitted> => {
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
export const fitFixed = async (
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
