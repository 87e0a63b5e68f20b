/**
 * iTransformer: the transformer turned on its side — each series' whole window is one token, full
 * self-attention mixes the series and the feed-forward works on each series' embedding.
 * @see Liu et al. (2024), "iTransformer: Inverted Transformers Are Effective for Time Series Forecasting", ICLR. https://arxiv.org/abs/2310.06625
 */
import { z } from 'zod';
import { ConfigError } from '@nflab/contracts';
import type { MultivariateModelSpec } from '../../model/types.js';
import { createAttentionLayer, fullAttention } from '../../nn/attention.js';
import { createLayerNorm } from '../../nn/layer-norm.js';
import { createParamStore } from '../../nn/params.js';
import { createTransEncoder, createTransEncoderLayer } from '../../nn/transformer-layers.js';
import { buildInvertedNetwork } from '../inverted.js';
import { checkMultivariateDims, nSeriesSchema } from '../multivariate.js';
import { itransformerSearchSpace } from './search-space.js';

/** iTransformer's own hyperparameters, with NeuralForecast's names and defaults. */
export const itransformerConfigSchema = z.object({
  /** Number of series seen together (required). */
  n_series: nSeriesSchema('iTransformer'),
  /** Width of every series token. @default 512 */
  hidden_size: z.number().int().min(1).default(512),
  /** Attention heads. @default 8 */
  n_heads: z.number().int().min(1).default(8),
  /** Encoder layers. @default 2 */
  e_layers: z.number().int().min(1).default(2),
  /** Accepted as NeuralForecast does; its iTransformer builds no decoder. @default 1 */
  d_layers: z.number().int().min(0).default(1),
  /** Channels of each encoder layer's feed-forward. @default 2048 */
  d_ff: z.number().int().min(1).default(2048),
  /** Accepted as NeuralForecast does; full attention has no sampling factor. @default 1 */
  factor: z.number().int().min(1).default(1),
  /** Dropout of the embedding, the attention weights and the encoder layers. @default 0.1 */
  dropout: z.number().min(0).max(1).default(0.1),
  /** Normalise each window per series (mean, deviation) and map the forecast back. @default true */
  use_norm: z.boolean().default(true),
});

/** Parsed iTransformer config. */
export type ItransformerConfig = z.output<typeof itransformerConfigSchema>;

/** NeuralForecast's capability table row for iTransformer: no exogenous variables. */
const exogenous = { futr: false, hist: false, stat: false } as const;

const LABEL = 'iTransformer';

/** NeuralForecast's `iTransformer`. */
export const itransformer = {
  id: 'itransformer',
  label: LABEL,
  description:
    'iTransformer: full attention across series, each series’ window one token (Liu et al., 2024).',
  family: 'transformer',
  kind: 'multivariate',
  forecastType: 'direct',
  exogenous,
  configSchema: itransformerConfigSchema,
  commonDefaults: { windows_batch_size: 32, inference_windows_batch_size: 32 },
  defaultSearchSpace: itransformerSearchSpace,
  build(config, dims, seed) {
    checkMultivariateDims({ label: LABEL, exogenous }, dims);
    const E = config.hidden_size;
    if (config.n_heads > E) {
      throw new ConfigError(
        `${LABEL}: n_heads = ${config.n_heads} exceeds hidden_size = ${E}; each head needs a channel`,
      );
    }
    const store = createParamStore('itransformer', seed);
    return buildInvertedNetwork(store, {
      dims,
      hiddenSize: E,
      dropout: config.dropout,
      useNorm: config.use_norm,
      projectionPath: 'projector',
      createEncoder: () =>
        createTransEncoder({
          layers: Array.from({ length: config.e_layers }, (_, i) => {
            const path = `encoder/attn_layers_${i}`;
            const attention = createAttentionLayer(
              store,
              { path: `${path}/attention`, hiddenSize: E, nHeads: config.n_heads },
              fullAttention({ causal: false, dropout: config.dropout }),
            );
            return createTransEncoderLayer(store, attention, {
              path,
              hiddenSize: E,
              convHiddenSize: config.d_ff,
              dropout: config.dropout,
              activation: 'gelu',
            });
          }),
          norm: createLayerNorm(store, 'encoder/norm', E),
        }),
    });
  },
} as const satisfies MultivariateModelSpec<ItransformerConfig>;
