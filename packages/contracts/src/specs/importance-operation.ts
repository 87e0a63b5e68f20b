/**
 * The `importance` model operation's options: which exogenous-column importance to compute on a
 * finished run's saved model, and how much work a request may ask for. One object per method, so
 * an option that does not apply to the method (`steps` for permutation) is an error, not ignored.
 */
import { z } from 'zod';

/** Methods of the `importance` operation, as stored in `nf_feature_importance.method`. */
export const IMPORTANCE_METHODS = ['permutation', 'kernel_shap', 'integrated_gradients'] as const;
/** One of {@link IMPORTANCE_METHODS}. */
export type ImportanceMethod = (typeof IMPORTANCE_METHODS)[number];

/**
 * Caps on one importance request, because requests choose the sizes: permutation costs
 * repeats × columns forecasts of every window, KernelSHAP up to nsamples forecasts per window,
 * integrated gradients steps gradients per window.
 */
export const IMPORTANCE_LIMITS = {
  /** Most permutations per column. */
  maxRepeats: 100,
  /** Most KernelSHAP coalitions per window. */
  maxNsamples: 10_000,
  /** Most integrated-gradients steps (gradient evaluations) per window. */
  maxSteps: 1_000,
  /** Most evaluation windows. */
  maxWindows: 500,
} as const;

/** Options every method shares. */
const shared = {
  /** Seed of the permutations and of KernelSHAP's sampled coalitions. @default 0 */
  seed: z.number().int().min(0).default(0),
  /**
   * Evaluation windows: the last ones before the end of the data, newest first across series. At
   * least 2: permutation shuffles a column among the windows and KernelSHAP's background is their
   * mean, so with one window every importance would be 0 by construction. @default 50
   */
  max_windows: z
    .number()
    .int()
    .min(2, { message: 'use at least 2 windows: importance compares a window with the others' })
    .max(IMPORTANCE_LIMITS.maxWindows)
    .default(50),
};

/** Permutation importance: the MAE increase when a column is shuffled among the windows. */
const permutationOptions = z
  .object({
    method: z.literal('permutation'),
    /** Permutations per column. @default 10 */
    repeats: z.number().int().min(1).max(IMPORTANCE_LIMITS.maxRepeats).default(10),
    ...shared,
  })
  .strict();

/** KernelSHAP over the exogenous columns (each column over all its window steps is one player). */
const kernelShapOptions = z
  .object({
    method: z.literal('kernel_shap'),
    /** Coalitions per window; 'auto' = 2M + 2048 (M players), capped at 2^M − 2 as in shap. @default 'auto' */
    nsamples: z
      .union([z.literal('auto'), z.number().int().min(1).max(IMPORTANCE_LIMITS.maxNsamples)])
      .default('auto'),
    ...shared,
  })
  .strict();

/** Integrated gradients from a zero baseline in the network's scaled input space. */
const integratedGradientsOptions = z
  .object({
    method: z.literal('integrated_gradients'),
    /** Gradient evaluations along the path (trapezoid rule). @default 50 */
    steps: z.number().int().min(2).max(IMPORTANCE_LIMITS.maxSteps).default(50),
    ...shared,
  })
  .strict();

/** zod schema of an importance request's body (`POST /api/runs/:id/importance`): the options by method. */
export const importanceOptionsSchema = z.discriminatedUnion('method', [
  permutationOptions,
  kernelShapOptions,
  integratedGradientsOptions,
]);

/** zod schema of the `importance` run operation: the options with `kind: 'importance'`. */
export const importanceOperationSchema = z.discriminatedUnion('method', [
  permutationOptions.extend({ kind: z.literal('importance') }),
  kernelShapOptions.extend({ kind: z.literal('importance') }),
  integratedGradientsOptions.extend({ kind: z.literal('importance') }),
]);

/** An importance request as written. */
export type ImportanceOptionsInput = z.input<typeof importanceOptionsSchema>;
/** A parsed importance request (defaults filled). */
export type ImportanceOptions = z.output<typeof importanceOptionsSchema>;
