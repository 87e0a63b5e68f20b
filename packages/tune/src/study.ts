/**
 * A study: ask/tell and an optimize loop with Optuna's semantics, over a {@link StudyStorage}.
 * The Study keeps no trial state of its own, so two Study objects over one storage are two
 * workers of the same study.
 */
import { ConfigError } from '@nflab/contracts';
import { contains } from './params.js';
import { createMedianPruner } from './pruners/percentile.js';
import type { Pruner } from './pruners/types.js';
import { TrialPruned } from './pruners/types.js';
import { createTpeSampler } from './samplers/tpe/tpe.js';
import type { Sampler } from './samplers/types.js';
import { SearchExhausted } from './samplers/types.js';
import type { JsonValue, Params, SearchSpace } from './space.js';
import { parseSearchSpace } from './space.js';
import { createMemoryStorage } from './storage/memory.js';
import type { StudyRecord, StudyStorage } from './storage/storage.js';
import { Trial } from './trial-handle.js';
import type { Direction, FrozenTrial, TrialError } from './trial.js';
import { isBetter, lastStep } from './trial.js';
import { runOptimize } from './optimize.js';
import type { Objective, OptimizeOptions } from './optimize.js';

/** Options of {@link Study.create}. */
export interface StudyOptions {
  /** @default a new in-memory storage */
  readonly storage?: StudyStorage;
  /** Workers sharing a study use the same name. @default a random name */
  readonly name?: string;
  /** @default 'minimize' */
  readonly direction?: Direction;
  /** The space `ask()` samples when called without one. */
  readonly space?: SearchSpace;
  /** @default TPE seeded with `seed` (Optuna's default) */
  readonly sampler?: Sampler;
  /** @default median pruner (Optuna's default) */
  readonly pruner?: Pruner;
  /** Seed of the default sampler. */
  readonly seed?: number;
  /** Join an existing study of this name instead of failing. @default true */
  readonly loadIfExists?: boolean;
}

/** How a trial ended, for {@link Study.tell}: a value means COMPLETE. */
export type TellResult =
  number | { state: 'COMPLETE'; value: number } | { state: 'PRUNED' } | { state: 'FAIL'; error?: TrialError };

/** One row of {@link Study.trialsDataframe} (Optuna's columns; params_ and user_attrs_ prefixes). */
export type TrialRow = Record<string, JsonValue>;

/** The signal of trials asked outside optimize(): nothing cancels them. */
const NEVER_ABORTED = new AbortController().signal;

const errorOf = (error: unknown): TrialError =>
  error instanceof Error
    ? { message: error.message, ...(error.stack ? { stack: error.stack } : {}) }
    : { message: String(error) };

/** A hyperparameter study (Optuna's Study) over a storage. */
export class Study {
  private stopped = false;

  private constructor(
    /** Where trials live. */
    readonly storage: StudyStorage,
    private readonly record: StudyRecord,
    /** The sampler proposing parameters. */
    readonly sampler: Sampler,
    /** The pruner judging intermediate values. */
    readonly pruner: Pruner,
  ) {}

  /** Creates (or joins) a study in storage. */
  static async create(options: StudyOptions = {}): Promise<Study> {
    const storage = options.storage ?? createMemoryStorage();
    const space = options.space === undefined ? null : parseSearchSpace(options.space);
    const record = await storage.createStudy({
      name: options.name ?? `study-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
      direction: options.direction ?? 'minimize',
      space,
      loadIfExists: options.loadIfExists ?? true,
    });
    const sampler =
      options.sampler ?? createTpeSampler(options.seed === undefined ? {} : { seed: options.seed });
    return new Study(storage, record, sampler, options.pruner ?? createMedianPruner());
  }

  /** Study id in storage. */
  get id(): number {
    return this.record.id;
  }

  /** Study name (workers share it). */
  get name(): string {
    return this.record.name;
  }

  /** minimize or maximize. */
  get direction(): Direction {
    return this.record.direction;
  }

  /** Starts a trial: takes the oldest enqueued trial if any, samples the rest of the space. */
  async ask(space?: SearchSpace, signal: AbortSignal = NEVER_ABORTED): Promise<Trial> {
    const theSpace = space === undefined ? this.record.space : parseSearchSpace(space);
    if (!theSpace)
      throw new ConfigError('ask() needs a search space: pass one or create the study with `space`');
    const trial =
      (await this.storage.popWaitingTrial(this.id)) ??
      (await this.storage.createTrial(this.id, { state: 'RUNNING' }));
    const all = await this.storage.listTrials(this.id);
    let params: Params;
    try {
      params = await this.sampler.sample({
        space: theSpace,
        fixed: trial.params,
        trial,
        trials: all.filter((t) => t.id !== trial.id),
        direction: this.direction,
        claim: (key) => this.storage.claim(this.id, key, trial.id),
        setSystemAttr: (key, value) => this.storage.setTrialSystemAttr(trial.id, key, value),
      });
    } catch (error) {
      // Close the trial so it never lingers as RUNNING; exhaustion is recorded as such.
      await this.storage.finishTrial(trial.id, { state: 'FAIL', error: errorOf(error) });
      throw error;
    }
    for (const [name, value] of Object.entries(params)) {
      const spec = theSpace[name];
      if (spec && !contains(spec, value) && !(name in trial.params)) {
        throw new Error(
          `sampler "${this.sampler.id}" produced ${JSON.stringify(value)} for "${name}", outside its spec`,
        );
      }
    }
    await this.storage.setTrialParams(trial.id, params);
    return new Trial(
      {
        storage: this.storage,
        pruner: this.pruner,
        studyName: this.name,
        studyId: this.id,
        direction: this.direction,
        signal,
      },
      trial.id,
      trial.number,
      params,
    );
  }

  /** Finishes a trial; false when it was already finished (e.g. cancelled). NaN values become FAIL, as in Optuna. */
  async tell(trial: Trial | number, result: TellResult): Promise<boolean> {
    const id = typeof trial === 'number' ? await this.trialIdOf(trial) : trial.id;
    const outcome = typeof result === 'number' ? { state: 'COMPLETE' as const, value: result } : result;
    if (outcome.state === 'COMPLETE') {
      if (!Number.isFinite(outcome.value)) {
        return this.storage.finishTrial(id, {
          state: 'FAIL',
          error: { message: `objective returned ${outcome.value}; a finite number is required` },
        });
      }
      return this.storage.finishTrial(id, { state: 'COMPLETE', value: outcome.value });
    }
    if (outcome.state === 'PRUNED') {
      const snap = await this.storage.getTrial(id);
      const step = snap ? lastStep(snap) : undefined;
      const value = snap && step !== undefined ? (snap.intermediateValues[step] ?? null) : null;
      return this.storage.finishTrial(id, {
        state: 'PRUNED',
        value: value !== null && Number.isFinite(value) ? value : null,
      });
    }
    return this.storage.finishTrial(id, { state: 'FAIL', error: outcome.error ?? { message: 'failed' } });
  }

  /** Queues a trial with fixed parameters; the next ask() takes it (missing parameters are sampled). */
  async enqueueTrial(
    params: Params,
    userAttrs: Readonly<Record<string, JsonValue>> = {},
  ): Promise<FrozenTrial> {
    return this.storage.createTrial(this.id, { state: 'WAITING', params, userAttrs });
  }

  /** Runs `objective` for trials until nTrials, timeout, cancellation, stop() or exhaustion. */
  async optimize(objective: Objective, options: OptimizeOptions = {}): Promise<void> {
    this.stopped = false;
    await runOptimize(
      {
        ask: (signal) => this.ask(undefined, signal),
        tell: (trial, result) => this.tell(trial, result),
        isStopped: () => this.stopped,
        isExhausted: async () => {
          const space = this.record.space;
          if (!this.sampler.isExhausted || !space) return false;
          return this.sampler.isExhausted(space, await this.storage.listTrials(this.id));
        },
        storage: this.storage,
        errorOf,
        isPruned: (error) => error instanceof TrialPruned,
        isExhaustedError: (error) => error instanceof SearchExhausted,
      },
      objective,
      options,
    );
  }

  /** Makes a running optimize() start no new trials (Optuna's study.stop()). */
  stop(): void {
    this.stopped = true;
  }

  /** Every trial, ordered by number. */
  async trials(): Promise<readonly FrozenTrial[]> {
    return this.storage.listTrials(this.id);
  }

  /** The best COMPLETE trial, or undefined before any completes. */
  async bestTrial(): Promise<FrozenTrial | undefined> {
    let best: FrozenTrial | undefined;
    for (const t of await this.storage.listTrials(this.id, { states: ['COMPLETE'] })) {
      if (t.value !== null && (!best || isBetter(this.direction, t.value, best.value as number))) best = t;
    }
    return best;
  }

  /** Marks RUNNING trials whose last heartbeat (or start) is older than `graceMs` as FAIL; returns how many. */
  async failStaleTrials(graceMs: number): Promise<number> {
    const cutoff = Date.now() - graceMs;
    let n = 0;
    for (const t of await this.storage.listTrials(this.id, { states: ['RUNNING'] })) {
      const seen = Date.parse(t.heartbeatAt ?? t.datetimeStart ?? '');
      if (Number.isFinite(seen) && seen < cutoff) {
        if (
          await this.storage.finishTrial(t.id, {
            state: 'FAIL',
            error: { message: `no heartbeat for ${graceMs} ms` },
          })
        )
          n++;
      }
    }
    return n;
  }

  /** Flat rows like Optuna's trials_dataframe(): number, state, value, times, params_*, user_attrs_*. */
  async trialsDataframe(): Promise<TrialRow[]> {
    return (await this.trials()).map((t) => {
      const start = t.datetimeStart ? Date.parse(t.datetimeStart) : NaN;
      const end = t.datetimeComplete ? Date.parse(t.datetimeComplete) : NaN;
      const row: TrialRow = {
        number: t.number,
        state: t.state,
        value: t.value,
        datetime_start: t.datetimeStart,
        datetime_complete: t.datetimeComplete,
        duration_ms: Number.isFinite(end - start) ? end - start : null,
        error: t.error ? t.error.message : null,
      };
      for (const [k, v] of Object.entries(t.params)) row[`params_${k}`] = v;
      for (const [k, v] of Object.entries(t.userAttrs)) row[`user_attrs_${k}`] = v;
      return row;
    });
  }

  private async trialIdOf(number: number): Promise<number> {
    const t = (await this.storage.listTrials(this.id)).find((x) => x.number === number);
    if (!t) throw new ConfigError(`trial number ${number} does not exist in study "${this.name}"`);
    return t.id;
  }
}
