/** The pruner contract: one method, Optuna's BasePruner.prune. */
import type { JsonValue } from '../space.js';
import type { Direction, FrozenTrial } from '../trial.js';

/** What a pruner sees when a running trial asks whether to stop. */
export interface PruneContext {
  readonly studyName: string;
  readonly direction: Direction;
  /** Fresh snapshot of the trial asking, with its intermediate values. */
  readonly trial: FrozenTrial;
  /** All trials of the study (Hyperband narrows this to one bracket). */
  trials(): Promise<readonly FrozenTrial[]>;
  /** Records pruner state on a trial (successive halving's rung values). */
  setSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void>;
}

/** Decides whether a running trial should stop early. */
export interface Pruner {
  /** Persisted id (a key of PRUNERS). */
  readonly id: string;
  prune(ctx: PruneContext): Promise<boolean>;
}

/** Thrown by an objective to stop a trial the pruner condemned; control flow, not an error. */
export class TrialPruned extends Error {
  constructor(message = 'trial pruned') {
    super(message);
    this.name = 'TrialPruned';
  }
}
