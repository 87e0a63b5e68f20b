/**
 * The fully connected trunk of an N-BEATS / NBEATSx / NHITS block, laid out exactly as NeuralForecast
 * builds it so parameter counts match: Linear(in, units[0][0]), then for each `[a, b]` in `mlp_units`
 * Linear(a, b) → activation → dropout, then Linear(units[-1][1], n_theta). The first linear has no
 * activation after it (a quirk of the reference, kept on purpose).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ACTIVATIONS, createActivation, type ActivationName } from '../nn/activations.js';
import { dropout } from '../nn/dropout.js';
import type { ForwardContext } from '../nn/forward-context.js';
import { createLinear, type Linear } from '../nn/linear.js';
import type { ParamStore } from '../nn/params.js';

/** `mlp_units`: hidden layers as `[in, out]` pairs, each `in` equal to the previous `out`. */
export const mlpUnitsSchema = z
  .array(z.tuple([z.number().int().min(1), z.number().int().min(1)]))
  .min(1)
  .refine((units) => units.every((u, i) => i === 0 || u[0] === units[i - 1]?.[1]), {
    message:
      'mlp_units: each layer [in, out] must start with the previous layer out, e.g. [[512, 512], [512, 256]]',
  });

/** `activation` by PyTorch class name. */
export const activationSchema = z.enum(ACTIVATIONS);

/** Options of {@link createBlockMlp}. */
export interface BlockMlpOptions {
  readonly path: string;
  readonly inFeatures: number;
  readonly mlpUnits: readonly (readonly [number, number])[];
  readonly nTheta: number;
  readonly activation: ActivationName;
  readonly dropout: number;
}

/** A block trunk `[B, in] -> [B, n_theta]`. */
export interface BlockMlp {
  apply(x: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D;
}

/** Creates a block trunk (one activation module per block, as NeuralForecast shares it across the block's layers). */
export function createBlockMlp(store: ParamStore, options: BlockMlpOptions): BlockMlp {
  const { path, mlpUnits } = options;
  const first = mlpUnits[0] as readonly [number, number];
  const last = mlpUnits[mlpUnits.length - 1] as readonly [number, number];
  const input = createLinear(store, {
    path: `${path}/input`,
    inFeatures: options.inFeatures,
    outFeatures: first[0],
  });
  const activation = createActivation(store, `${path}/activation`, options.activation);
  const hidden: Linear[] = mlpUnits.map(([a, b], i) =>
    createLinear(store, { path: `${path}/hidden_${i}`, inFeatures: a, outFeatures: b }),
  );
  const output = createLinear(store, {
    path: `${path}/output`,
    inFeatures: last[1],
    outFeatures: options.nTheta,
  });
  return {
    apply(x, ctx) {
      let y = input.apply(x); // [B, in] -> [B, units[0][0]]
      for (const layer of hidden) y = dropout(layer.apply(y, activation), options.dropout, ctx); // [B, a] -> [B, b]
      return output.apply(y); // [B, units[-1][1]] -> [B, n_theta]
    },
  };
}

/**
 * Config fields shared by the N-BEATS family (NBEATS, NBEATSx): blocks per stack, their MLPs,
 * dropout, activation and weight sharing, with NeuralForecast's defaults. NBEATS' dropout differs
 * from NeuralForecast's, which raises NotImplementedError above 0; here it works as in NBEATSx.
 */
export const STACKED_BLOCK_FIELDS = {
  /** Blocks per stack. @default [1, 1, 1] */
  n_blocks: z.array(z.number().int().min(1)).default(() => [1, 1, 1]),
  /** Hidden layers of every block, as [in, out] pairs. @default 3 × [512, 512] */
  mlp_units: mlpUnitsSchema.default((): [number, number][] => [
    [512, 512],
    [512, 512],
    [512, 512],
  ]),
  /** Dropout after each hidden activation. @default 0 */
  dropout_prob_theta: z.number().min(0).lt(1).default(0),
  /** @default 'ReLU' */
  activation: activationSchema.default('ReLU'),
  /** Blocks after the first of a stack reuse its weights. @default false */
  shared_weights: z.boolean().default(false),
};

/** Refinement of a stacked config: one `n_blocks` entry per stack type. */
export const checkBlocksPerStack = (
  c: { readonly n_blocks: readonly number[]; readonly stack_types: readonly string[] },
  ctx: z.RefinementCtx,
): void => {
  if (c.n_blocks.length !== c.stack_types.length) {
    ctx.addIssue({
      code: 'custom',
      path: ['n_blocks'],
      message: `n_blocks has ${c.n_blocks.length} entries but stack_types has ${c.stack_types.length}; give one per stack`,
    });
  }
};
