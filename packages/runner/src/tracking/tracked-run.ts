/**
 * What the `prometheus` tracking sink knows of one run while it executes: its latest training step
 * and losses and its trials by state, updated from the executor's step events and the run's study
 * storage as they happen — in memory, so exposing them costs no database read.
 */
import { TRIAL_STATES, type FinishedState, type StudyStorage, type TrialState } from '@nflab/tune';
import type { StepEvent } from '../compute/compute-types.js';

/** How a tracked run ended, or that it still runs. */
export type TrackedStatus = 'running' | 'finished' | 'failed' | 'cancelled';

/** One run's live numbers. */
export class TrackedRun {
  /** Latest step reported by any fit of the run (a trial's or the final model's); null before the first. */
  step: number | null = null;
  trainLoss: number | null = null;
  validLoss: number | null = null;
  status: TrackedStatus = 'running';
  /** Unix seconds. */
  readonly startedAt = Date.now() / 1000;
  endedAt: number | null = null;
  readonly #trials = new Map<number, TrialState>();

  constructor(
    readonly runId: string,
    readonly model: string,
    readonly backend: string,
  ) {}

  /** Takes one training loss (the step writer's event); non-finite losses end the fit and are not shown. */
  observeStep(event: StepEvent): void {
    if (!Number.isFinite(event.loss)) return;
    this.step = event.step;
    if (event.kind === 'train') this.trainLoss = event.loss;
    else this.validLoss = event.loss;
  }

  /** Trials of the run by state, every state listed. */
  trialsByState(): Map<TrialState, number> {
    const counts = new Map<TrialState, number>(TRIAL_STATES.map((state) => [state, 0]));
    for (const state of this.#trials.values()) counts.set(state, (counts.get(state) ?? 0) + 1);
    return counts;
  }

  /** Marks the run ended now. */
  end(status: Exclude<TrackedStatus, 'running'>): void {
    this.status = status;
    this.endedAt = Date.now() / 1000;
  }

  /**
   * `storage` with the run's trial state changes also noted here: created (RUNNING or WAITING),
   * popped (WAITING to RUNNING) and finished (when the storage accepted the outcome).
   */
  observeTrials(storage: StudyStorage): StudyStorage {
    const trials = this.#trials;
    const note = (trialId: number, state: TrialState): void => void trials.set(trialId, state);
    // Bound, not inherited: the storage may be a class whose methods read private fields of `this`.
    const forward = <K extends keyof StudyStorage>(name: K): StudyStorage[K] =>
      (storage[name] as (...args: unknown[]) => unknown).bind(storage) as StudyStorage[K];
    return {
      createStudy: forward('createStudy'),
      getStudy: forward('getStudy'),
      setTrialParams: forward('setTrialParams'),
      reportIntermediate: forward('reportIntermediate'),
      setTrialUserAttr: forward('setTrialUserAttr'),
      setTrialSystemAttr: forward('setTrialSystemAttr'),
      claim: forward('claim'),
      heartbeat: forward('heartbeat'),
      getTrial: forward('getTrial'),
      listTrials: forward('listTrials'),
      async createTrial(studyId, trial) {
        const created = await storage.createTrial(studyId, trial);
        note(created.id, created.state);
        return created;
      },
      async popWaitingTrial(studyId) {
        const popped = await storage.popWaitingTrial(studyId);
        if (popped !== undefined) note(popped.id, popped.state);
        return popped;
      },
      async finishTrial(trialId, outcome) {
        const accepted = await storage.finishTrial(trialId, outcome);
        if (accepted) note(trialId, outcome.state satisfies FinishedState);
        return accepted;
      },
    };
  }
}
