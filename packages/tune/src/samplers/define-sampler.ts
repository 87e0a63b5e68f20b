/** The registry entry of one sampler: its id, its option schema (Optuna's argument names) and a factory. */
import type { z } from 'zod';
import type { Sampler } from './types.js';

/** One member of the `SAMPLERS` registry; each sampler file defines its own. */
export interface SamplerEntry<S extends z.ZodType = z.ZodType> {
  /** Persisted id; equals its registry key. */
  readonly id: string;
  /** One line for UIs and docs. */
  readonly description: string;
  /** Visits each point of a finite space once and needs a finite space (no continuous floats). */
  readonly exhaustive: boolean;
  /** `search_alg_options` as a spec writes them (snake_case); unknown keys are rejected. */
  readonly options: S;
  readonly create: (options: z.output<S>, seed: number | undefined) => Sampler;
}

/** Identity helper that keeps each entry's option type precise. */
export const defineSampler = <S extends z.ZodType>(entry: SamplerEntry<S>): SamplerEntry<S> => entry;

/** `{ seed }` when a seed is given, else nothing (the sampler then draws its own). */
export const seedOption = (seed: number | undefined): { seed?: number } =>
  seed === undefined ? {} : { seed };
