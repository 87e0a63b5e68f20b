/** Trial records as storage keeps them (Optuna's FrozenTrial), and the study's direction. */
import type { JsonValue, Params } from './space.js';

/** Trial lifecycle, Optuna's names: WAITING (enqueued) → RUNNING → COMPLETE | PRUNED | FAIL. */
export const TRIAL_STATES = ['WAITING', 'RUNNING', 'COMPLETE', 'PRUNED', 'FAIL'] as const;
/** One of {@link TRIAL_STATES}. */
export type TrialState = (typeof TRIAL_STATES)[number];
/** States a trial can be finished with. */
export type FinishedState = Extract<TrialState, 'COMPLETE' | 'PRUNED' | 'FAIL'>;

/** Whether smaller or larger objective values are better. */
export type Direction = 'minimize' | 'maximize';

/** What went wrong in a FAIL trial. */
export interface TrialError {
  readonly message: string;
  readonly stack?: string;
  /** Set when the trial stopped because the study was cancelled, not because the objective threw. */
  readonly cancelled?: boolean;
}

/** An immutable snapshot of one trial. */
export interface FrozenTrial {
  /** Storage-wide id. */
  readonly id: number;
  readonly studyId: number;
  /** 0-based position in its study, assigned atomically by storage. */
  readonly number: number;
  readonly state: TrialState;
  readonly params: Params;
  /** Objective value; for PRUNED the last intermediate value, null when none. */
  readonly value: number | null;
  /** Intermediate values by step, as reported. */
  readonly intermediateValues: Readonly<Record<number, number>>;
  readonly userAttrs: Readonly<Record<string, JsonValue>>;
  /** Attributes samplers and pruners keep (grid claims, rung values, CMA-ES generation). */
  readonly systemAttrs: Readonly<Record<string, JsonValue>>;
  readonly error: TrialError | null;
  readonly datetimeStart: string | null;
  readonly datetimeComplete: string | null;
  readonly heartbeatAt: string | null;
}

/** The last step a trial reported, or undefined. */
export const lastStep = (trial: FrozenTrial): number | undefined => {
  let last: number | undefined;
  for (const key of Object.keys(trial.intermediateValues)) {
    const step = Number(key);
    if (last === undefined || step > last) last = step;
  }
  return last;
};

/** True when `a` is a better objective value than `b` in `direction`. */
export const isBetter = (direction: Direction, a: number, b: number): boolean =>
  direction === 'minimize' ? a < b : a > b;
