/**
 * The optimize loop: up to `concurrency` async objectives at once, stopping on nTrials, timeout,
 * stop(), an exhausted finite space, or an AbortSignal (then running trials are recorded as FAIL
 * with `cancelled` at once, without waiting for objectives that cannot be interrupted).
 */
import { ConfigError } from '@nflab/contracts';
import type { StudyStorage } from './storage/storage.js';
import type { Trial } from './trial-handle.js';
import type { FrozenTrial, TrialError } from './trial.js';

/** The function being optimized: returns the objective value, throws TrialPruned to stop early. */
export type Objective = (trial: Trial) => Promise<number> | number;

/** Options of Study.optimize. */
export interface OptimizeOptions {
  /** Trials this call starts; unlimited when absent (then rely on timeout, signal or exhaustion). */
  readonly nTrials?: number;
  /** Seconds after which no new trial starts (running ones finish), as Optuna's `timeout`. */
  readonly timeout?: number;
  /** Objectives running at once. @default 1 */
  readonly concurrency?: number;
  /** Optuna's name for `concurrency`. */
  readonly nJobs?: number;
  /** Cancels the run: no new trials, running trials become FAIL (cancelled). */
  readonly signal?: AbortSignal;
  /** Heartbeat period for running trials, so other workers can fail stale ones. @default no heartbeat */
  readonly heartbeatIntervalMs?: number;
  /** Called after each trial this call finishes, with its stored snapshot. */
  readonly onTrialFinished?: (trial: FrozenTrial) => void | Promise<void>;
}

/** What the loop needs from its Study. */
export interface OptimizeHooks {
  ask(signal: AbortSignal): Promise<Trial>;
  tell(
    trial: Trial,
    result: { state: 'COMPLETE'; value: number } | { state: 'PRUNED' } | { state: 'FAIL'; error: TrialError },
  ): Promise<boolean>;
  isStopped(): boolean;
  /** True when a finite sampler has no point left, checked before each ask. */
  isExhausted(): Promise<boolean>;
  readonly storage: StudyStorage;
  errorOf(error: unknown): TrialError;
  isPruned(error: unknown): boolean;
  isExhaustedError(error: unknown): boolean;
}

const positiveInt = (name: string, value: number | undefined): void => {
  if (value !== undefined && !(Number.isInteger(value) && value >= 1))
    throw new ConfigError(`${name} must be a positive integer, got ${value}`);
};

/** Runs the loop (Study.optimize delegates here). */
export const runOptimize = async (
  hooks: OptimizeHooks,
  objective: Objective,
  options: OptimizeOptions,
): Promise<void> => {
  positiveInt('nTrials', options.nTrials);
  positiveInt('concurrency', options.concurrency ?? options.nJobs);
  if (options.timeout !== undefined && !(options.timeout > 0))
    throw new ConfigError(`timeout must be > 0 seconds, got ${options.timeout}`);
  const concurrency = options.concurrency ?? options.nJobs ?? 1;
  const deadline = options.timeout === undefined ? undefined : Date.now() + options.timeout * 1000;
  const controller = new AbortController();
  const running = new Set<Trial>();
  const asking = new Set<Promise<unknown>>();
  let started = 0;
  let exhausted = false;

  const cancelMessage = (): string => {
    const reason: unknown = options.signal?.reason;
    return `cancelled: ${reason instanceof Error ? reason.message : String(reason ?? 'aborted')}`;
  };
  const cancelTrial = async (trial: Trial): Promise<void> => {
    await hooks.storage.finishTrial(trial.id, {
      state: 'FAIL',
      error: { message: cancelMessage(), cancelled: true },
    });
  };
  const canStart = (): boolean =>
    !controller.signal.aborted &&
    !hooks.isStopped() &&
    !exhausted &&
    (options.nTrials === undefined || started < options.nTrials) &&
    (deadline === undefined || Date.now() < deadline);

  const runTrial = async (trial: Trial): Promise<void> => {
    const beat = options.heartbeatIntervalMs
      ? setInterval(
          () => void hooks.storage.heartbeat(trial.id).catch(() => undefined),
          options.heartbeatIntervalMs,
        )
      : undefined;
    try {
      const value = await Promise.resolve().then(() => objective(trial));
      await hooks.tell(trial, { state: 'COMPLETE', value });
    } catch (error) {
      if (hooks.isPruned(error)) await hooks.tell(trial, { state: 'PRUNED' });
      else await hooks.tell(trial, { state: 'FAIL', error: hooks.errorOf(error) });
    } finally {
      if (beat) clearInterval(beat);
      running.delete(trial);
    }
    if (options.onTrialFinished) {
      const snap = await hooks.storage.getTrial(trial.id);
      if (snap) await options.onTrialFinished(snap);
    }
  };

  const worker = async (): Promise<void> => {
    while (canStart()) {
      if (await hooks.isExhausted()) {
        exhausted = true;
        return;
      }
      if (!canStart()) return;
      started++;
      const pending = hooks.ask(controller.signal);
      asking.add(pending);
      let trial: Trial;
      try {
        trial = await pending;
      } catch (error) {
        if (hooks.isExhaustedError(error)) {
          exhausted = true;
          return;
        }
        throw error;
      } finally {
        asking.delete(pending);
      }
      if (controller.signal.aborted) {
        await cancelTrial(trial);
        return;
      }
      running.add(trial);
      await runTrial(trial);
    }
  };

  let onAbort: (() => void) | undefined;
  const aborted = new Promise<void>((resolve, reject) => {
    onAbort = () => {
      controller.abort(options.signal?.reason);
      // Wait for asks in flight so no trial is left RUNNING, then cancel the running ones.
      void Promise.allSettled([...asking])
        .then(() => Promise.all([...running].map(cancelTrial)))
        .then(() => resolve(), reject);
    };
  });
  if (options.signal?.aborted) onAbort?.();
  else options.signal?.addEventListener('abort', () => onAbort?.(), { once: true });

  const work = Promise.all(Array.from({ length: concurrency }, worker));
  try {
    await Promise.race([work, aborted]);
  } finally {
    // After a cancellation the objectives still settle in the background; their tells are no-ops.
    work.catch(() => undefined);
  }
  if (controller.signal.aborted) await aborted;
};
