/** The live handle an objective receives: its parameters, report/shouldPrune, attributes. */
import { ConfigError } from '@nflab/contracts';
import type { Pruner } from './pruners/types.js';
import type { JsonValue, Params } from './space.js';
import type { StudyStorage } from './storage/storage.js';
import type { Direction, FrozenTrial } from './trial.js';

/** What a Trial needs from its study. */
export interface TrialBinding {
  readonly storage: StudyStorage;
  readonly pruner: Pruner;
  readonly studyName: string;
  readonly studyId: number;
  readonly direction: Direction;
  /** Aborted when the optimize loop running this trial is cancelled. */
  readonly signal: AbortSignal;
}

/** One running trial (Optuna's `Trial`), parameters already sampled from the space. */
export class Trial {
  constructor(
    private readonly binding: TrialBinding,
    /** Storage id. */
    readonly id: number,
    /** 0-based number in the study. */
    readonly number: number,
    /** The active parameters. */
    readonly params: Params,
  ) {}

  /** Aborted when the study run is cancelled: long objectives should watch it. */
  get signal(): AbortSignal {
    return this.binding.signal;
  }

  /** The value of parameter `name`; ConfigError if it is not active in this trial. */
  get<T extends JsonValue = JsonValue>(name: string): T {
    if (!(name in this.params)) {
      throw new ConfigError(
        `parameter "${name}" is not active in trial ${this.number}; active: ${Object.keys(this.params).join(', ') || 'none'}`,
      );
    }
    return this.params[name] as T;
  }

  /** Records an intermediate objective value at `step` (an epoch, a training step). */
  async report(step: number, value: number): Promise<void> {
    if (!Number.isInteger(step) || step < 0)
      throw new ConfigError(`report step must be a non-negative integer, got ${step}`);
    await this.binding.storage.reportIntermediate(this.id, step, value);
  }

  /** Asks the study's pruner whether this trial should stop now (then throw TrialPruned). */
  async shouldPrune(): Promise<boolean> {
    const { storage, studyId, studyName, direction, pruner } = this.binding;
    const trial = await storage.getTrial(this.id);
    if (!trial) return false;
    return pruner.prune({
      studyName,
      direction,
      trial,
      trials: () => storage.listTrials(studyId),
      setSystemAttr: (trialId, key, value) => storage.setTrialSystemAttr(trialId, key, value),
    });
  }

  /** Sets a user attribute (any JSON). */
  async setUserAttr(key: string, value: JsonValue): Promise<void> {
    await this.binding.storage.setTrialUserAttr(this.id, key, value);
  }

  /** The stored snapshot of this trial now. */
  async snapshot(): Promise<FrozenTrial | undefined> {
    return this.binding.storage.getTrial(this.id);
  }
}
