/**
 * KAN: a Kolmogorov-Arnold network over the flattened input window and exogenous variables —
 * learnable B-spline functions on the edges, sums at the nodes.
 * @see Liu et al. (2024), "KAN: Kolmogorov-Arnold Networks"; NeuralForecast's `KAN`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { ModelSpec } from '../../model/types.js';
import { createParamStore } from '../../nn/params.js';
import { flattenWindow, flatWindowSize } from '../flat-window.js';
import { checkDims, toNetwork } from '../network.js';
import { createKanLinear } from './kan-linear.js';
import { kanSearchSpace } from './search-space.js';

/** KAN's own hyperparameters, with NeuralForecast's names and defaults. */
export const kanConfigSchema = z
  .object({
    /** Intervals of each spline's grid. @default 5 */
    grid_size: z.number().int().min(1).default(5),
    /** Degree of the B-splines. @default 3 */
    spline_order: z.number().int().min(0).default(3),
    /** Amplitude of the initial spline noise. @default 0.1 */
    scale_noise: z.number().min(0).default(0.1),
    /** Scale of the base weight's initialisation. @default 1.0 */
    scale_base: z.number().min(0).default(1.0),
    /** Scale of the spline scaler's initialisation. @default 1.0 */
    scale_spline: z.number().min(0).default(1.0),
    /**
     * Per-edge spline scaler. NeuralForecast's KAN does not pass it to its layers, which therefore
     * always have the scaler; kept for its config, with the same (no) effect. @default true
     */
    enable_standalone_scale_spline: z.boolean().default(true),
    /** Uniform/adaptive mix of grid updates; NeuralForecast never updates the grid in training, so unused. @default 0.02 */
    grid_eps: z.number().min(0).max(1).default(0.02),
    /** Range covered by the grid. @default [-1, 1] */
    grid_range: z
      .tuple([z.number(), z.number()])
      .refine(([lo, hi]) => hi > lo, 'grid_range must be [low, high] with high > low')
      .default([-1, 1]),
    /** Number of hidden KAN layers. @default 1 */
    n_hidden_layers: z.number().int().min(0).default(1),
    /** Units of every hidden layer, or one size per hidden layer. @default 512 */
    hidden_size: z.union([z.number().int().min(1), z.array(z.number().int().min(1))]).default(512),
  })
  .refine((c) => !Array.isArray(c.hidden_size) || c.hidden_size.length === c.n_hidden_layers, {
    message: 'The number of elements in the list hidden_size must equal the number of n_hidden_layers',
    path: ['hidden_size'],
  });

/** Parsed KAN config. */
export type KanConfig = z.output<typeof kanConfigSchema>;

/** NeuralForecast's capability table row for KAN (categorical exogenous are not part of the engine). */
const exogenous = { futr: true, hist: true, stat: true } as const;

/** NeuralForecast's `KAN`: every input flattened into one vector through KANLinear layers to H·K outputs. */
export const kan = {
  id: 'kan',
  label: 'KAN',
  description:
    'Kolmogorov-Arnold network with learnable B-spline edges over the flattened window (Liu et al., 2024).',
  family: 'mlp',
  kind: 'univariate',
  forecastType: 'direct',
  exogenous,
  categoricalExogenous: true,
  configSchema: kanConfigSchema,
  // NeuralForecast's KAN keeps BaseModel's training defaults except the windows batch.
  commonDefaults: { windows_batch_size: 1024 },
  defaultSearchSpace: kanSearchSpace,
  build(config, dims, seed) {
    checkDims({ label: 'KAN', exogenous }, dims);
    const { h, nOutputs: K } = dims;
    const store = createParamStore('kan', seed);
    const inFeatures = flatWindowSize(dims);
    const hidden = Array.isArray(config.hidden_size)
      ? config.hidden_size
      : Array.from({ length: config.n_hidden_layers }, () => config.hidden_size as number);
    const sizes = [inFeatures, ...hidden, h * K];
    const layers = sizes.slice(1).map((out, i) =>
      createKanLinear(store, {
        path: `layer_${i}`,
        inFeatures: sizes[i] as number,
        outFeatures: out,
        gridSize: config.grid_size,
        splineOrder: config.spline_order,
        scaleNoise: config.scale_noise,
        scaleBase: config.scale_base,
        scaleSpline: config.scale_spline,
        gridRange: config.grid_range,
      }),
    );
    return toNetwork(store, (batch) => {
      const B = batch.insampleY.shape[0];
      let y = flattenWindow(batch, dims, 'KAN'); // [B, in]
      for (const layer of layers) y = layer.apply(y); // [B, in] -> … -> [B, H*K]
      return tf.reshape(y, [B, h, K]); // [B, H*K] -> [B, H, K]
    });
  },
} as const satisfies ModelSpec<KanConfig>;
