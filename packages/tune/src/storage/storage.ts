/**
 * Where studies and trials live. Async so packages/store can implement it over PostgreSQL; a Study
 * only talks to this, so several Study objects (workers, processes, machines) over one storage
 * share one study.
 */
import type { JsonValue, Params, SearchSpace } from '../space.js';
import type { Direction, FinishedState, FrozenTrial, TrialError, TrialState } from '../trial.js';

/** A study's stored header. */
export interface StudyRecord {
  readonly id: number;
  readonly name: string;
  readonly direction: Direction;
  /** The space trials are asked in, when the study was created with one. */
  readonly space: SearchSpace | null;
  readonly userAttrs: Readonly<Record<string, JsonValue>>;
}

/** A new trial: RUNNING (asked now) or WAITING (enqueued with fixed params). */
export interface NewTrial {
  readonly state: Extract<TrialState, 'RUNNING' | 'WAITING'>;
  /** @default {} */
  readonly params?: Params;
  /** @default {} */
  readonly userAttrs?: Readonly<Record<string, JsonValue>>;
}

/** How a trial ended. */
export interface TrialOutcome {
  readonly state: FinishedState;
  readonly value?: number | null;
  readonly error?: TrialError | null;
}

/** The storage contract; every method is atomic on its own. */
export interface StudyStorage {
  /** Creates a study; with `loadIfExists` returns the existing one of that name (ConflictError otherwise). */
  createStudy(input: {
    name: string;
    direction: Direction;
    space?: SearchSpace | null;
    loadIfExists?: boolean;
  }): Promise<StudyRecord>;
  /** The study of that name, or undefined. */
  getStudy(name: string): Promise<StudyRecord | undefined>;
  /** Adds a trial with the next number of its study. */
  createTrial(studyId: number, trial: NewTrial): Promise<FrozenTrial>;
  /** Atomically moves the oldest WAITING trial to RUNNING and returns it (undefined when none waits). */
  popWaitingTrial(studyId: number): Promise<FrozenTrial | undefined>;
  /** Records the parameters of a RUNNING trial. */
  setTrialParams(trialId: number, params: Params): Promise<void>;
  /** Records an intermediate value (a later report of the same step overwrites it, as in Optuna). */
  reportIntermediate(trialId: number, step: number, value: number): Promise<void>;
  /** Sets a user attribute. */
  setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void>;
  /** Sets a system attribute (samplers and pruners). */
  setTrialSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void>;
  /**
   * Claims `key` in the study for `trialId`; true only for the first claimant ever. Grid and
   * brute-force samplers claim points through this so parallel workers never duplicate one.
   */
  claim(studyId: number, key: string, trialId: number): Promise<boolean>;
  /** Finishes a RUNNING trial; returns false (and changes nothing) if it was already finished. */
  finishTrial(trialId: number, outcome: TrialOutcome): Promise<boolean>;
  /** Marks a RUNNING trial alive now. */
  heartbeat(trialId: number): Promise<void>;
  /** One trial, or undefined. */
  getTrial(trialId: number): Promise<FrozenTrial | undefined>;
  /** A study's trials ordered by number, optionally only some states. */
  listTrials(studyId: number, options?: { states?: readonly TrialState[] }): Promise<readonly FrozenTrial[]>;
}
