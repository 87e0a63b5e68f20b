/**
 * Informer: the encoder–decoder of VanillaTransformer with ProbSparse attention (only the
 * factor·⌈ln L⌉ queries whose sampled scores are least uniform attend; the rest take the mean of the
 * values) and, with `distil`, a convolution + max-pool between encoder layers that halves the
 * sequence each time.
 * @see Zhou et al. (2021), "Informer: Beyond Efficient Transformer for Long Sequence Time-Series Forecasting", AAAI. https://arxiv.org/abs/2012.07436
 */
import { z } from 'zod';
import { TRANSFORMER_COMMON_DEFAULTS } from '../transformer-defaults.js';
import type { ModelSpec } from '../../model/types.js';
import { createParamStore } from '../../nn/params.js';
import { probAttention } from '../../nn/prob-attention.js';
import { buildEncoderDecoder, encoderDecoderConfigShape } from '../encoder-decoder.js';
import { checkDims } from '../network.js';
import { createDistilConv } from './distil-conv.js';
import { informerSearchSpace } from './search-space.js';

/** Informer's own hyperparameters, with NeuralForecast's names and defaults. */
export const informerConfigSchema = z.object({
  ...encoderDecoderConfigShape,
  /** ProbSparse factor c: c·⌈ln L_K⌉ keys sampled per query, c·⌈ln L_Q⌉ queries attend. @default 3 */
  factor: z.number().int().min(1).default(3),
  /** Distilling conv layers between encoder layers. @default true */
  distil: z.boolean().default(true),
});

/** Parsed Informer config. */
export type InformerConfig = z.output<typeof informerConfigSchema>;

/** NeuralForecast's capability table row: future exogenous only (as calendar-like marks). */
const exogenous = { futr: true, hist: false, stat: false } as const;

/** NeuralForecast's `Informer`. */
export const informer = {
  id: 'informer',
  label: 'Informer',
  description:
    'Informer: ProbSparse-attention encoder–decoder with self-attention distilling and a one-pass multi-step decoder (Zhou et al., AAAI 2021).',
  family: 'transformer',
  kind: 'univariate',
  forecastType: 'direct',
  exogenous,
  categoricalExogenous: true,
  configSchema: informerConfigSchema,
  commonDefaults: TRANSFORMER_COMMON_DEFAULTS,
  defaultSearchSpace: informerSearchSpace,
  build(config, dims, seed) {
    checkDims({ label: 'Informer', exogenous }, dims);
    const { factor } = config;
    return buildEncoderDecoder(createParamStore('informer', seed), {
      label: 'Informer',
      config,
      dims,
      attentions: {
        encoder: () => probAttention({ causal: false, factor }),
        // Unlike VanillaTransformer's full attention, ProbAttention applies its causal ProbMask
        // whenever mask_flag is set, with or without a mask object: the decoder is causal here.
        decoderSelf: () => probAttention({ causal: true, factor }),
        decoderCross: () => probAttention({ causal: false, factor }),
      },
      ...(config.distil ? { distil: createDistilConv } : {}),
    });
  },
} as const satisfies ModelSpec<InformerConfig>;
