/** The sampler contract: one method, like Optuna's BaseSampler folded into `sample`. */
import type { JsonValue, Params, SearchSpace } from '../space.js';
import { jsonKey } from '../space.js';
import type { Direction, FrozenTrial } from '../trial.js';

/** What a sampler sees when asked for one trial's parameters. */
export interface SampleContext {
  readonly space: SearchSpace;
  /** Values fixed in advance (an enqueued trial); the result must keep them. */
  readonly fixed: Params;
  /** The RUNNING trial being sampled. */
  readonly trial: FrozenTrial;
  /** Every other trial of the study, any state, ordered by number. */
  readonly trials: readonly FrozenTrial[];
  readonly direction: Direction;
  /** Claims a key study-wide for this trial; true for the first claimant only (see StudyStorage.claim). */
  claim(key: string): Promise<boolean>;
  /** Records sampler state on this trial (e.g. a CMA-ES generation). */
  setSystemAttr(key: string, value: JsonValue): Promise<void>;
}

/**
 * A sampler proposes parameters. Relative (joint) and independent sampling both happen inside
 * `sample`; samplers build their RNG from their seed and `ctx.trial.number` so results are
 * reproducible whatever the worker interleaving.
 */
export interface Sampler {
  /** Persisted id (a key of SAMPLERS). */
  readonly id: string;
  sample(ctx: SampleContext): Promise<Params> | Params;
  /** Finite samplers: true once every point is taken, so optimize() stops before asking again. */
  isExhausted?(space: SearchSpace, trials: readonly FrozenTrial[]): boolean;
}

/** Thrown by finite samplers (grid, brute force) once every point is taken; optimize() then stops. */
export class SearchExhausted extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SearchExhausted';
  }
}

/** Cache key of a space: samplers memoise per-space plans (grids, sequences) by content, not identity. */
export const spaceKey = (space: SearchSpace): string => jsonKey(space as unknown as JsonValue);
