/**
 * NHITS: stacks of MLP blocks on pooled inputs whose coarse forecasts (knots) are interpolated to
 * the horizon, with doubly residual links.
 * @see Challu et al. (2023), "NHITS: Neural Hierarchical Interpolation for Time Series Forecasting", AAAI. https://arxiv.org/abs/2201.12886
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { ModelSpec } from '../../model/types.js';
import { createParamStore } from '../../nn/params.js';
import { activationSchema, createBlockMlp, mlpUnitsSchema } from '../block-mlp.js';
import { checkDims, requireInput, toNetwork } from '../network.js';
import { runResidualStack, type ResidualBlock } from '../residual-stack.js';
import { INTERPOLATION_MODES, interpolationMatrix } from './interpolation.js';
import { POOLING_MODES, pool1d, pooledLength } from './pooling.js';

const positiveInts = z.array(z.number().int().min(1));

/** NHITS's own hyperparameters, with NeuralForecast's names and defaults. */
export const nhitsConfigSchema = z
  .object({
    /** One entry per stack; NHITS only has identity stacks. @default ['identity','identity','identity'] */
    stack_types: z
      .array(z.literal('identity'))
      .min(1)
      .default((): 'identity'[] => ['identity', 'identity', 'identity']),
    /** Blocks per stack. @default [1, 1, 1] */
    n_blocks: positiveInts.default(() => [1, 1, 1]),
    /** Hidden layers of every block, as [in, out] pairs. @default 3 × [512, 512] */
    mlp_units: mlpUnitsSchema.default((): [number, number][] => [
      [512, 512],
      [512, 512],
      [512, 512],
    ]),
    /** Pooling kernel (= stride) per stack. @default [2, 2, 1] */
    n_pool_kernel_size: positiveInts.default(() => [2, 2, 1]),
    /** Forecast downsampling per stack: knots = max(h // f, 1). @default [4, 2, 1] */
    n_freq_downsample: positiveInts.default(() => [4, 2, 1]),
    /** @default 'MaxPool1d' */
    pooling_mode: z.enum(POOLING_MODES).default('MaxPool1d'),
    /**
     * How knots are interpolated to h steps; all three are implemented. NeuralForecast refuses
     * `cubic` with more than one loss output; here each output is interpolated on its own. @default 'linear'
     */
    interpolation_mode: z.enum(INTERPOLATION_MODES).default('linear'),
    /** Dropout after each hidden activation. @default 0 */
    dropout_prob_theta: z.number().min(0).lt(1).default(0),
    /** @default 'ReLU' */
    activation: activationSchema.default('ReLU'),
  })
  .superRefine((c, ctx) => {
    for (const key of ['n_blocks', 'n_pool_kernel_size', 'n_freq_downsample'] as const) {
      if (c[key].length !== c.stack_types.length) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `${key} has ${c[key].length} entries but stack_types has ${c.stack_types.length}; give one per stack`,
        });
      }
    }
  });

/** Parsed NHITS config. */
export type NhitsConfig = z.output<typeof nhitsConfigSchema>;

const exogenous = { futr: true, hist: true, stat: true } as const;

/** NeuralForecast's `NHITS`. */
export const nhits = {
  id: 'nhits',
  label: 'NHITS',
  description: 'Neural Hierarchical Interpolation for Time Series (Challu et al., AAAI 2023).',
  family: 'mlp',
  kind: 'univariate',
  forecastType: 'direct',
  exogenous,
  configSchema: nhitsConfigSchema,
  commonDefaults: { max_steps: 1000, learning_rate: 1e-3, num_lr_decays: 3, windows_batch_size: 1024 },
  build(config, dims, seed) {
    checkDims({ label: 'NHITS', exogenous }, dims);
    const { h, inputSize: L, futrExogSize: F, histExogSize: X, statExogSize: S, nOutputs: K } = dims;
    const store = createParamStore('nhits', seed);
    const blocks: ResidualBlock[] = [];
    config.stack_types.forEach((_, i) => {
      const kernel = config.n_pool_kernel_size[i] as number;
      const knots = Math.max(Math.floor(h / (config.n_freq_downsample[i] as number)), 1);
      const pooledHist = pooledLength(L, kernel);
      const pooledFutr = pooledLength(L + h, kernel);
      const basis = interpolationMatrix(config.interpolation_mode, knots, h);
      for (let j = 0; j < (config.n_blocks[i] as number); j += 1) {
        const trunk = createBlockMlp(store, {
          path: `stack_${i}/block_${j}`,
          inFeatures: pooledHist + X * pooledHist + F * pooledFutr + S,
          mlpUnits: config.mlp_units,
          nTheta: L + K * knots,
          activation: config.activation,
          dropout: config.dropout_prob_theta,
        });
        blocks.push((residuals, batch, ctx) => {
          const B = residuals.shape[0];
          // [B, L] -> [B, 1, L] -> pooled [B, 1, P] -> [B, P]
          const parts: tf.Tensor2D[] = [
            tf.reshape(pool1d(tf.reshape(residuals, [B, 1, L]), kernel, config.pooling_mode), [
              B,
              pooledHist,
            ]),
          ];
          if (X > 0)
            parts.push(
              poolExog(requireInput(batch.histExog, 'histExog', 'NHITS'), kernel, config.pooling_mode),
            );
          if (F > 0)
            parts.push(
              poolExog(requireInput(batch.futrExog, 'futrExog', 'NHITS'), kernel, config.pooling_mode),
            );
          if (S > 0) parts.push(requireInput(batch.statExog, 'statExog', 'NHITS')); // [B, S]
          const theta = trunk.apply(
            parts.length === 1 ? (parts[0] as tf.Tensor2D) : tf.concat(parts, 1),
            ctx,
          ); // -> [B, L + K*n]
          const backcast = tf.slice(theta, [0, 0], [B, L]); // [B, L]
          // Knots are laid out output-major, [B, K*n] -> [B*K, n]; interpolate -> [B*K, H] -> [B, K, H] -> [B, H, K].
          const knotValues = tf.reshape(tf.slice(theta, [0, L], [B, K * knots]), [B * K, knots]);
          const forecast = tf.transpose(
            tf.reshape(tf.matMul(knotValues, tf.tensor2d(basis, [knots, h])), [B, K, h]),
            [0, 2, 1],
          ) as tf.Tensor3D;
          return [backcast, forecast] as const;
        });
      }
    });
    return toNetwork(store, (batch, ctx) =>
      runResidualStack(batch, ctx, { blocks, h: dims.h, nOutputs: dims.nOutputs }),
    );
  },
} as const satisfies ModelSpec<NhitsConfig>;

/** Pools exogenous [B, T, C] along time and flattens it: [B, C, T] -> [B, C, P] -> [B, P, C] -> [B, P*C]. */
function poolExog(x: tf.Tensor3D, kernel: number, mode: (typeof POOLING_MODES)[number]): tf.Tensor2D {
  const [b, , c] = x.shape;
  const pooled = pool1d(tf.transpose(x, [0, 2, 1]), kernel, mode);
  return tf.reshape(tf.transpose(pooled, [0, 2, 1]), [b, pooled.shape[2] * c]) as tf.Tensor2D;
}
