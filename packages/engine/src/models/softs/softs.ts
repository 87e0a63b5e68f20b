/**
 * SOFTS: the inverted encoder of iTransformer with its attention replaced by the STAR block —
 * series tokens pooled into one global core and fused back, linear in the number of series.
 * @see Han et al. (2024), "SOFTS: Efficient Multivariate Time Series Forecasting with Series-Core Fusion". https://arxiv.org/abs/2404.14197
 */
import { z } from 'zod';
import type { MultivariateDims, MultivariateModelSpec, MultivariateNetwork } from '../../model/types.js';
import { createParamStore } from '../../nn/params.js';
import { createTransEncoder, createTransEncoderLayer } from '../../nn/transformer-layers.js';
import { buildInvertedNetwork } from '../inverted.js';
import { checkMultivariateDims, nSeriesSchema } from '../multivariate.js';
import { softsSearchSpace } from './search-space.js';
import { createStar, type StarOptions } from './star.js';

/** The hyperparameters SOFTS and SOFTSSharp share, with NeuralForecast's names and defaults. */
export const softsConfigShape = (label: string) => ({
  /** Number of series seen together (required). */
  n_series: nSeriesSchema(label),
  /** Width of every series token. @default 512 */
  hidden_size: z.number().int().min(1).default(512),
  /** Channels of the STAR core. @default 512 */
  d_core: z.number().int().min(1).default(512),
  /** Encoder layers. @default 2 */
  e_layers: z.number().int().min(1).default(2),
  /** Channels of each encoder layer's feed-forward. @default 2048 */
  d_ff: z.number().int().min(1).default(2048),
  /** Dropout of the embedding and the encoder layers. @default 0.1 */
  dropout: z.number().min(0).max(1).default(0.1),
  /** Normalise each window per series (mean, deviation) and map the forecast back. @default true */
  use_norm: z.boolean().default(true),
});

/** SOFTS's own hyperparameters. */
export const softsConfigSchema = z.object(softsConfigShape('SOFTS'));

/** Parsed SOFTS config. */
export type SoftsConfig = z.output<typeof softsConfigSchema>;

/** NeuralForecast's capability table row for SOFTS and SOFTSSharp: no exogenous variables. */
export const softsExogenous = { futr: false, hist: false, stat: false } as const;

/**
 * Builds SOFTS (or, with SOFTSSharp's `star` options, SOFTSSharp): embedding, e_layers encoder
 * layers around a STAR block each (gelu feed-forward of d_ff, no final norm), projection.
 */
export function buildSoftsNetwork(options: {
  readonly id: string;
  readonly label: string;
  readonly config: SoftsConfig;
  readonly dims: MultivariateDims;
  readonly seed: number;
  readonly star: Pick<StarOptions, 'dropout' | 'positional'>;
}): MultivariateNetwork {
  const { config, dims } = options;
  checkMultivariateDims({ label: options.label, exogenous: softsExogenous }, dims);
  const store = createParamStore(options.id, options.seed);
  const E = config.hidden_size;
  return buildInvertedNetwork(store, {
    dims,
    hiddenSize: E,
    dropout: config.dropout,
    useNorm: config.use_norm,
    projectionPath: 'projection',
    createEncoder: () =>
      createTransEncoder({
        layers: Array.from({ length: config.e_layers }, (_, i) => {
          const path = `encoder/attn_layers_${i}`;
          const star = createStar(store, {
            path: `${path}/attention`,
            seriesDim: E,
            coreDim: config.d_core,
            ...options.star,
          });
          return createTransEncoderLayer(store, star, {
            path,
            hiddenSize: E,
            convHiddenSize: config.d_ff,
            dropout: config.dropout,
            activation: 'gelu',
          });
        }),
      }),
  });
}

/** NeuralForecast's `SOFTS`. */
export const softs = {
  id: 'softs',
  label: 'SOFTS',
  description:
    'SOFTS: series tokens fused through one pooled global core (STAR), an MLP-based model (Han et al., 2024).',
  family: 'mlp',
  kind: 'multivariate',
  forecastType: 'direct',
  exogenous: softsExogenous,
  configSchema: softsConfigSchema,
  commonDefaults: { windows_batch_size: 32, inference_windows_batch_size: 32 },
  defaultSearchSpace: softsSearchSpace,
  build(config, dims, seed) {
    return buildSoftsNetwork({ id: 'softs', label: 'SOFTS', config, dims, seed, star: {} });
  },
} as const satisfies MultivariateModelSpec<SoftsConfig>;
