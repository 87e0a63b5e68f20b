/** Waits `patience` steps without improvement before deferring to a wrapped pruner (Optuna's PatientPruner). */
import { ConfigError } from '@nflab/contracts';
import type { Pruner } from './types.js';
import { z } from 'zod';
import { defined, definePruner } from './define-pruner.js';

/** Options of the patient pruner. */
export interface PatientOptions {
  /** Steps without improvement tolerated. */
  readonly patience: number;
  /** Improvement smaller than this does not count. @default 0 */
  readonly minDelta?: number;
  /** Decides once patience ran out; without one the trial is pruned. @default none */
  readonly wrapped?: Pruner;
}

const nanMin = (xs: number[]): number => Math.min(...xs.filter((x) => !Number.isNaN(x)));
const nanMax = (xs: number[]): number => Math.max(...xs.filter((x) => !Number.isNaN(x)));

/** Creates a patient pruner. */
export const createPatientPruner = (options: PatientOptions): Pruner => {
  const { patience, minDelta = 0, wrapped } = options;
  if (!(Number.isInteger(patience) && patience >= 0))
    throw new ConfigError(`patient: patience must be an integer >= 0, got ${patience}`);
  if (!(minDelta >= 0)) throw new ConfigError(`patient: min_delta must be >= 0, got ${minDelta}`);
  return {
    id: 'patient',
    async prune(ctx) {
      const steps = Object.keys(ctx.trial.intermediateValues)
        .map(Number)
        .sort((a, b) => a - b);
      if (steps.length <= patience + 1) return false;
      const valueAt = (s: number): number => ctx.trial.intermediateValues[s] as number;
      const before = steps.slice(0, steps.length - patience - 1).map(valueAt);
      const after = steps.slice(steps.length - patience - 1).map(valueAt);
      const stalled =
        ctx.direction === 'minimize'
          ? nanMin(before) + minDelta < nanMin(after)
          : nanMax(before) - minDelta > nanMax(after);
      if (!stalled) return false;
      return wrapped ? wrapped.prune(ctx) : true;
    },
  };
};

/** The `patient` pruner; `wrapped` names another pruner as `{ id, options }`. @default patience 3 */
export const patient = definePruner({
  id: 'patient',
  description:
    'Prunes after `patience` steps without improvement (optionally deferring to a wrapped pruner).',
  options: z
    .object({
      patience: z.number().int().min(0).default(3),
      min_delta: z.number().min(0).optional(),
      wrapped: z.object({ id: z.string(), options: z.unknown().optional() }).optional(),
    })
    .strict(),
  create: (o, createPruner) =>
    createPatientPruner({
      patience: o.patience,
      ...defined({
        minDelta: o.min_delta,
        wrapped: o.wrapped ? createPruner(o.wrapped.id, o.wrapped.options) : undefined,
      }),
    }),
});
