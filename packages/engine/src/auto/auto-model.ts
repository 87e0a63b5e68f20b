/**
 * One generic Auto wrapper for every registered model (NeuralForecast's `Auto*` classes without a
 * class per model): a Study over the model's default space, each trial fitting a NeuralForecast on
 * the training part and scoring the validation part; every validation loss is reported as an
 * intermediate value so pruners (Optuna) and schedulers (Ray) can stop a trial; the best
 * configuration is then refitted on the whole data.
 */
import { ConfigError, TrainingError } from '@nflab/contracts';
import {
  createSearch,
  Study,
  TrialPruned,
  type SearchSettings,
  type FrozenTrial,
  type JsonValue,
  type Params,
  type SearchSpace,
  type StudyStorage,
  type Trial,
  type TrialRow,
} from '@nflab/tune';
import { activeBackend, ensureDefaultBackend } from '../backend/backend.js';
import { NeuralForecast } from '../core/neural-forecast.js';
import { nativeMatmulStatus, withNativeThreads } from '../native/enable.js';
import type { FitOptions, ForecastRow, PredictOptions } from '../core/types.js';
import type { Freq } from '../data/freq.js';
import type { ModelId } from '../models/registry.js';
import type { LocalScalerType } from '../scalers/types.js';
import { buildAutoSetup, type AutoSetup, type AutoSetupInput } from './auto-config.js';
import { TrialWorkerPool } from './worker-pool.js';
import type { TrainingEvent } from '../training/train.js';

/** A step of a running trial, for live recording. */
export interface TrialStepEvent {
  readonly number: number;
  readonly kind: 'train' | 'valid';
  readonly step: number;
  readonly loss: number;
}

/** Options of {@link AutoModel}. */
export interface AutoModelOptions extends AutoSetupInput {
  readonly model: ModelId;
  /** Frequency of the data. @default 1 (integer ds) */
  readonly freq?: Freq;
  /** Per-series scaler of every NeuralForecast fitted. @default null */
  readonly localScalerType?: LocalScalerType | null;
  /**
   * The search as a spec writes it, snake_case keys passed to tune's createSearch unchanged:
   * `backend`, `search_alg`, `pruner` | `scheduler` and their `*_options`.
   * @default { backend: 'ray' } (NeuralForecast's default backend)
   */
  readonly search?: Omit<SearchSettings, 'seed'>;
  /** Trials to run. @default 10 */
  readonly numSamples?: number;
  /** No trial starts after this many seconds (running ones finish). */
  readonly timeBudgetSeconds?: number;
  /** Trials run at once. @default 1 */
  readonly cpus?: number;
  /**
   * How trials run when cpus > 1: `workers` = one worker thread (own TensorFlow.js) per cpu;
   * `in-thread` = interleaved in this thread. @default 'workers'
   */
  readonly parallelism?: 'workers' | 'in-thread';
  /**
   * Trial workers to use instead of starting (and stopping) a pool for this fit, so a caller that
   * fits many Auto models — the runner's compute threads — pays worker start-up once. Its size
   * should be `cpus`; the caller terminates it.
   */
  readonly trialPool?: TrialWorkerPool;
  /** GPUs per trial; only 0 is possible on the TensorFlow.js CPU/WASM backends. @default 0 */
  readonly gpus?: number;
  /** Seed of the search algorithm. @default 1 */
  readonly seed?: number;
  /** Stops every trial and the refit. */
  readonly signal?: AbortSignal;
  /** Where trials are stored (the runner passes its PostgreSQL storage). @default in memory */
  readonly storage?: StudyStorage;
  /** Study name in `storage`. @default a random name */
  readonly studyName?: string;
  readonly onTrialStart?: (trial: { readonly number: number; readonly params: Params }) => void;
  readonly onTrialStep?: (event: TrialStepEvent) => void;
  readonly onTrialComplete?: (trial: FrozenTrial) => void | Promise<void>;
  /** Every train/validation loss of the final refit of the best configuration. */
  readonly onRefitStep?: (event: TrainingEvent) => void;
}

/** Options of {@link AutoModel.fit}. */
export interface AutoFitOptions {
  readonly df: FitOptions['df'];
  readonly staticDf?: FitOptions['staticDf'];
  /** Validation points at the end of each series; 0 means h, as NeuralForecast. @default 0 */
  readonly valSize?: number;
}

/** Searches hyperparameters of one registered model, then refits the best configuration. */
export class AutoModel {
  /** Space searched, after config merge/replace. */
  readonly space: SearchSpace;
  /** True when the refit keeps the validation part (refitWithVal, or forced by earlyStop). */
  readonly refitWithVal: boolean;
  private readonly setup: AutoSetup;
  private readonly search: ReturnType<typeof createSearch>;
  private study: Study | null = null;
  private fitted: NeuralForecast | null = null;
  private best: Record<string, JsonValue> | null = null;

  constructor(private readonly options: AutoModelOptions) {
    this.setup = buildAutoSetup(options);
    this.space = this.setup.space;
    this.refitWithVal = this.setup.refitWithVal;
    if ((options.gpus ?? 0) !== 0)
      throw new ConfigError(`gpus must be 0 (TensorFlow.js runs on the CPU here), got ${options.gpus}`);
    const positive = (name: string, v: number | undefined): void => {
      if (v !== undefined && !(Number.isInteger(v) && v >= 1))
        throw new ConfigError(`${name} must be a positive integer, got ${v}`);
    };
    positive('numSamples', options.numSamples);
    positive('cpus', options.cpus);
    this.search = createSearch({ ...(options.search ?? { backend: 'ray' }), seed: options.seed ?? 1 });
  }

  /** The best trial's full config (sampled params plus h, losses, exog lists), after fit. */
  get bestConfig(): Readonly<Record<string, JsonValue>> {
    if (!this.best) throw new ConfigError('bestConfig is set by fit; call fit first');
    return this.best;
  }

  /** The refitted NeuralForecast of the best configuration, after fit. */
  get model(): NeuralForecast {
    if (!this.fitted) throw new ConfigError('the Auto model is not fitted; call fit first');
    return this.fitted;
  }

  /** Runs the search, then refits the best configuration on the whole data. */
  async fit(options: AutoFitOptions): Promise<void> {
    const h = this.options.h;
    const given = options.valSize ?? 0;
    if (!Number.isInteger(given) || given < 0)
      throw new ConfigError(`valSize must be a non-negative integer; got ${given}`);
    const valSize = given > 0 ? given : h;
    // Every trial runs TensorFlow.js; bring up the default backend unless the caller chose one.
    await ensureDefaultBackend();
    const study = await Study.create({
      space: this.space,
      sampler: this.search.sampler,
      pruner: this.search.pruner,
      direction: 'minimize',
      ...(this.options.storage ? { storage: this.options.storage } : {}),
      ...(this.options.studyName ? { name: this.options.studyName } : {}),
    });
    this.study = study;
    const cpus = this.options.cpus ?? 1;
    const useWorkers = cpus > 1 && (this.options.parallelism ?? 'workers') === 'workers';
    const ownPool = useWorkers && !this.options.trialPool ? new TrialWorkerPool(cpus) : null;
    const pool = useWorkers ? (this.options.trialPool ?? ownPool) : null;
    try {
      await study.optimize((trial) => this.runTrial(trial, { ...options, valSize }, pool), {
        nTrials: this.options.numSamples ?? 10,
        concurrency: cpus,
        ...(this.options.timeBudgetSeconds !== undefined ? { timeout: this.options.timeBudgetSeconds } : {}),
        ...(this.options.signal ? { signal: this.options.signal } : {}),
        ...(this.options.onTrialComplete ? { onTrialFinished: this.options.onTrialComplete } : {}),
      });
    } finally {
      await ownPool?.terminate();
    }
    this.options.signal?.throwIfAborted();
    const best = await study.bestTrial();
    if (!best) {
      const trials = await study.trials();
      const states = trials.map((t) => t.state).join(', ');
      const firstError = trials.find((t) => t.error)?.error?.message;
      throw new TrainingError(
        `model '${this.options.model}': no trial completed (states: ${states || 'none'})${
          firstError ? `; first error: ${firstError}` : ''
        }`,
      );
    }
    this.best = { ...best.params, ...this.setup.fixed };
    this.fitted?.dispose();
    const nf = this.newForecaster(this.best);
    const refit = () =>
      nf.fit({
        df: options.df,
        ...(options.staticDf ? { staticDf: options.staticDf } : {}),
        valSize: this.refitWithVal ? valSize : 0,
        ...(this.options.signal ? { signal: this.options.signal } : {}),
        ...(this.options.onRefitStep
          ? { onProgress: ({ model: _model, ...event }) => this.options.onRefitStep?.(event) }
          : {}),
      });
    // Trials ran in workers, one BLAS thread each; the refit runs alone and gets all `cpus`.
    await (useWorkers ? withNativeThreads(cpus, refit) : refit());
    this.fitted = nf;
  }

  /** Forecasts with the refitted best model. */
  async predict(options: PredictOptions = {}): Promise<ForecastRow[]> {
    return this.model.predict(options);
  }

  /** Rows like Optuna's `trials_dataframe()`, plus `duration` in seconds. */
  async results(): Promise<TrialRow[]> {
    if (!this.study) throw new ConfigError('results are available after fit; call fit first');
    return (await this.study.trialsDataframe()).map((row) => ({
      ...row,
      duration: typeof row.duration_ms === 'number' ? row.duration_ms / 1000 : null,
    }));
  }

  /** The study of the last fit (its storage holds every trial). */
  get lastStudy(): Study | null {
    return this.study;
  }

  /** Frees the refitted model's weights. */
  dispose(): void {
    this.fitted?.dispose();
    this.fitted = null;
  }

  private newForecaster(config: Readonly<Record<string, JsonValue>>): NeuralForecast {
    return new NeuralForecast({
      models: [{ id: this.options.model, config }],
      freq: this.options.freq ?? 1,
      localScalerType: this.options.localScalerType ?? null,
    });
  }

  /** One trial: fit on the training part, report every validation loss, prune when told. */
  private async runTrial(
    trial: Trial,
    data: AutoFitOptions & { valSize: number },
    pool: TrialWorkerPool | null,
  ): Promise<number> {
    const config = { ...trial.params, ...this.setup.fixed };
    this.options.onTrialStart?.({ number: trial.number, params: trial.params });
    const stop = new AbortController();
    const forward = (): void => stop.abort(trial.signal.reason);
    if (trial.signal.aborted) forward();
    else trial.signal.addEventListener('abort', forward, { once: true });
    const valid: [number, number][] = [];
    const train: number[] = [];
    let pruned = false;
    // Progress arrives synchronously; reports and pruning decisions are chained so they stay in step order.
    let chain: Promise<void> = Promise.resolve();
    const onProgress = (event: TrainingEvent): void => {
      this.options.onTrialStep?.({ number: trial.number, ...event });
      if (event.kind === 'train') {
        train.push(event.loss);
        return;
      }
      valid.push([event.step, event.loss]);
      chain = chain.then(async () => {
        if (pruned) return;
        await trial.report(event.step, event.loss);
        if (await trial.shouldPrune()) {
          pruned = true;
          stop.abort(new TrialPruned(`pruned at step ${event.step} (validation loss ${event.loss})`));
        }
      });
    };
    try {
      let failure: unknown;
      await this.fitTrial(config, data, pool, { onProgress, signal: stop.signal }).catch((error: unknown) => {
        failure = error;
      });
      await chain;
      await trial.setUserAttr('valid_losses', valid);
      await trial.setUserAttr('train_losses', train);
      if (pruned) throw new TrialPruned(`pruned after step ${valid.at(-1)?.[0] ?? 0}`);
      if (failure !== undefined) throw failure;
      const last = valid.at(-1);
      if (!last) {
        throw new ConfigError(
          `trial ${trial.number}: no validation loss was computed; val_check_steps must be <= max_steps (${String(config.max_steps)})`,
        );
      }
      return last[1];
    } finally {
      trial.signal.removeEventListener('abort', forward);
    }
  }

  /** Fits one trial's NeuralForecast, on a pool worker when there is a pool, else in this thread. */
  private async fitTrial(
    config: Readonly<Record<string, JsonValue>>,
    data: AutoFitOptions & { valSize: number },
    pool: TrialWorkerPool | null,
    hooks: { onProgress: (event: TrainingEvent) => void; signal: AbortSignal },
  ): Promise<void> {
    if (pool) {
      await pool.run(
        {
          model: this.options.model,
          config,
          freq: this.options.freq ?? 1,
          localScalerType: this.options.localScalerType ?? null,
          df: data.df,
          ...(data.staticDf ? { staticDf: data.staticDf } : {}),
          valSize: data.valSize,
          backend: activeBackend(),
          nativeMatmul: nativeMatmulStatus()?.enabled ?? false,
        },
        hooks,
      );
      return;
    }
    const nf = this.newForecaster(config);
    try {
      await nf.fit({
        df: data.df,
        ...(data.staticDf ? { staticDf: data.staticDf } : {}),
        valSize: data.valSize,
        signal: hooks.signal,
        onProgress: ({ model: _model, ...event }) => hooks.onProgress(event),
      });
    } finally {
      nf.dispose();
    }
  }
}
