/** A rough duration for a plan, shown on the wizard's review page. */
import { isAutoModel, type RunSpec } from '@nflab/contracts';

/**
 * Seconds per training step on the lab's reference machine: bench/results/auto-loto6.json ran
 * AutoNHITS on the loto6 panel (7 series), 8 trials + refit at max_steps 100, in 44–57 s on 2 cores.
 */
export const SECONDS_PER_STEP = 0.065;
/** The engine's default `max_steps` (NeuralForecast's). */
const DEFAULT_MAX_STEPS = 1000;

/** Steps one run trains: each trial's steps plus the final fit of an Auto model. */
const stepsOf = (spec: RunSpec): number => {
  const configured = (spec.config as Record<string, unknown>).max_steps;
  const steps = spec.max_steps ?? (typeof configured === 'number' ? configured : DEFAULT_MAX_STEPS);
  return isAutoModel(spec.model) ? (spec.num_samples + 1) * steps : steps;
};

/** Estimated seconds to train one run (unrounded, so a sum of many stays exact). */
export const runSeconds = (spec: RunSpec): number => stepsOf(spec) * SECONDS_PER_STEP;
