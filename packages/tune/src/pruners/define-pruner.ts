/** The registry entry of one pruner: its id, its option schema (Optuna's argument names) and a factory. */
import { z } from 'zod';
import type { Pruner } from './types.js';

/** Builds a pruner from an id and JSON options; given to factories that wrap another pruner. */
export type PrunerFactory = (id: string, options?: unknown) => Pruner;

/** One member of the `PRUNERS` registry; each pruner file defines its own. */
export interface PrunerEntry<S extends z.ZodType = z.ZodType> {
  /** Persisted id; equals its registry key. */
  readonly id: string;
  /** One line for UIs and docs. */
  readonly description: string;
  /** `pruner_options` as a spec writes them (snake_case); unknown keys are rejected. */
  readonly options: S;
  /** Builds the pruner; `createPruner` builds a wrapped pruner (the patient pruner's `wrapped`). */
  readonly create: (options: z.output<S>, createPruner: PrunerFactory) => Pruner;
}

/** Identity helper that keeps each entry's option type precise. */
export const definePruner = <S extends z.ZodType>(entry: PrunerEntry<S>): PrunerEntry<S> => entry;

/** The object without its undefined values, typed as if none were optional (camelCase option objects). */
export const defined = <T extends object>(o: T): { [K in keyof T]-?: Exclude<T[K], undefined> } =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]-?: Exclude<T[K], undefined>;
  };

/** An optional integer ≥ 0 option. */
export const int0 = z.number().int().min(0).optional();
/** An optional integer ≥ 1 option. */
export const int1 = z.number().int().min(1).optional();
/** Options shared by the percentile, median and threshold pruners. */
export const stepOptionsShape = { n_warmup_steps: int0, interval_steps: int1 };
