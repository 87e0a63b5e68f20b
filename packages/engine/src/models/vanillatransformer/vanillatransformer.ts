/**
 * VanillaTransformer: the full-attention encoder–decoder the Informer paper uses as its baseline —
 * the window embedded (kernel-3 token conv + sinusoidal positions + futr marks), post-norm encoder
 * layers of full self-attention, and a decoder over the window's last label_len steps followed by
 * h zeros that emits all h steps in one pass.
 * @see Vaswani et al. (2017), "Attention Is All You Need", NeurIPS. https://arxiv.org/abs/1706.03762
 * @see Zhou et al. (2021), "Informer: Beyond Efficient Transformer for Long Sequence Time-Series Forecasting", AAAI. https://arxiv.org/abs/2012.07436
 */
import { z } from 'zod';
import { TRANSFORMER_COMMON_DEFAULTS } from '../transformer-defaults.js';
import type { ModelSpec } from '../../model/types.js';
import { fullAttention } from '../../nn/attention.js';
import { createParamStore } from '../../nn/params.js';
import { buildEncoderDecoder, encoderDecoderConfigShape } from '../encoder-decoder.js';
import { checkDims } from '../network.js';
import { vanillatransformerSearchSpace } from './search-space.js';

/** VanillaTransformer's own hyperparameters, with NeuralForecast's names and defaults. */
export const vanillatransformerConfigSchema = z.object(encoderDecoderConfigShape);

/** Parsed VanillaTransformer config. */
export type VanillatransformerConfig = z.output<typeof vanillatransformerConfigSchema>;

/** NeuralForecast's capability table row: future exogenous only (as calendar-like marks). */
const exogenous = { futr: true, hist: false, stat: false } as const;

/** NeuralForecast's `VanillaTransformer`. */
export const vanillatransformer = {
  id: 'vanillatransformer',
  label: 'VanillaTransformer',
  description:
    'VanillaTransformer: full-attention encoder–decoder with a one-pass multi-step decoder (the Informer paper’s baseline, Vaswani et al. 2017).',
  family: 'transformer',
  kind: 'univariate',
  forecastType: 'direct',
  exogenous,
  categoricalExogenous: true,
  configSchema: vanillatransformerConfigSchema,
  commonDefaults: TRANSFORMER_COMMON_DEFAULTS,
  defaultSearchSpace: vanillatransformerSearchSpace,
  build(config, dims, seed) {
    checkDims({ label: 'VanillaTransformer', exogenous }, dims);
    const full = () => fullAttention({ causal: false, dropout: config.dropout });
    return buildEncoderDecoder(createParamStore('vanillatransformer', seed), {
      label: 'VanillaTransformer',
      config,
      dims,
      attentions: {
        encoder: full,
        // NeuralForecast builds the decoder's self-attention with mask_flag=True, but its
        // FullAttention (output_attention=False) calls F.scaled_dot_product_attention with
        // `attn_mask.mask if (mask_flag and attn_mask) else None`, and the decoder passes
        // x_mask=None: no causal mask is ever applied. The zero-filled horizon steps attend to each
        // other freely; we reproduce that rather than the causal mask the flag suggests.
        decoderSelf: full,
        decoderCross: full,
      },
    });
  },
} as const satisfies ModelSpec<VanillatransformerConfig>;
