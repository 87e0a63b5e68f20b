/**
 * NHITS: stacks of MLP blocks on pooled inputs whose coarse forecasts (knots) are interpolated to
 * the horizon, with doubly residual links.
 * @see Challu et al. (2023), "NHITS: Neural Hierarchical Interpolation for Time Series Forecasting", AAAI. https://arxiv.org/abs/2201.12886
 */
import { z } from 'zod';
import type { ModelSpec } from '../../model/types.js';
import { nhitsSearchSpace } from './search-space.js';
import { createParamStore } from '../../nn/params.js';
import { activationSchema, mlpUnitsSchema } from '../block-mlp.js';
import { checkDims, toNetwork } from '../network.js';
import { runResidualStack, type ResidualBlock } from '../residual-stack.js';
import { createNhitsBlock } from './block.js';
import { INTERPOLATION_MODES } from './interpolation.js';
import { POOLING_MODES } from './pooling.js';

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
  categoricalExogenous: true,
  configSchema: nhitsConfigSchema,
  commonDefaults: { max_steps: 1000, learning_rate: 1e-3, num_lr_decays: 3, windows_batch_size: 1024 },
  defaultSearchSpace: nhitsSearchSpace,
  build(config, dims, seed) {
    checkDims({ label: 'NHITS', exogenous }, dims);
    const store = createParamStore('nhits', seed);
    const blocks: ResidualBlock[] = [];
    config.stack_types.forEach((_, i) => {
      for (let j = 0; j < (config.n_blocks[i] as number); j += 1) {
        const block = createNhitsBlock(store, {
          path: `stack_${i}/block_${j}`,
          dims,
          kernel: config.n_pool_kernel_size[i] as number,
          knots: Math.max(Math.floor(dims.h / (config.n_freq_downsample[i] as number)), 1),
          mlpUnits: config.mlp_units,
          poolingMode: config.pooling_mode,
          interpolationMode: config.interpolation_mode,
          activation: config.activation,
          dropout: config.dropout_prob_theta,
        });
        blocks.push(block);
      }
    });
    return toNetwork(store, (batch, ctx) =>
      runResidualStack(batch, ctx, { blocks, h: dims.h, nOutputs: dims.nOutputs }),
    );
  },
} as const satisfies ModelSpec<NhitsConfig>;
