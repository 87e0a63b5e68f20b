/**
 * SOFTSSharp (SOFTS#): SOFTS whose STAR blocks add a variable-position encoding of the series
 * tokens — applied with probability `pe_keep_prob` per block and training step, scaled by it at
 * inference, with a learnable scale — and dropout inside the block.
 * @see Ljubić, "SOFTSSharp: SOFTS extension with stochastic variable-position encoding" (reference implementation). https://github.com/hljubic/SOFTSsharp
 * @see Han et al. (2024), "SOFTS: Efficient Multivariate Time Series Forecasting with Series-Core Fusion". https://arxiv.org/abs/2404.14197
 */
import { z } from 'zod';
import type { MultivariateModelSpec } from '../../model/types.js';
import { softsSharpSearchSpace } from '../softs/search-space.js';
import { buildSoftsNetwork, softsConfigShape, softsExogenous } from '../softs/softs.js';

/** SOFTSSharp's own hyperparameters: SOFTS's and pe_keep_prob. */
export const softsSharpConfigSchema = z.object({
  ...softsConfigShape('SOFTSSharp'),
  /** Probability of adding the variable-position encoding in a training step; its scale at inference. @default 0.5 */
  pe_keep_prob: z.number().min(0).max(1).default(0.5),
});

/** Parsed SOFTSSharp config. */
export type SoftsSharpConfig = z.output<typeof softsSharpConfigSchema>;

/** NeuralForecast's `SOFTSSharp`. */
export const softssharp = {
  id: 'softssharp',
  label: 'SOFTSSharp',
  description:
    'SOFTSSharp: SOFTS with a stochastic variable-position encoding and dropout inside STAR (Ljubić; Han et al., 2024).',
  family: 'mlp',
  kind: 'multivariate',
  forecastType: 'direct',
  exogenous: softsExogenous,
  configSchema: softsSharpConfigSchema,
  commonDefaults: { windows_batch_size: 32, inference_windows_batch_size: 32 },
  defaultSearchSpace: softsSharpSearchSpace,
  build(config, dims, seed) {
    return buildSoftsNetwork({
      id: 'softssharp',
      label: 'SOFTSSharp',
      config,
      dims,
      seed,
      star: { dropout: config.dropout, positional: { keepProb: config.pe_keep_prob } },
    });
  },
} as const satisfies MultivariateModelSpec<SoftsSharpConfig>;
