/**
 * Autoformer: a decomposition encoder–decoder whose attention is auto-correlation — the values
 * rolled by the delays where queries and keys correlate most, weighted by those correlations.
 * @see Wu et al. (2021), "Autoformer: Decomposition Transformers with Auto-Correlation for Long-Term Series Forecasting", NeurIPS. https://arxiv.org/abs/2106.13008
 */
import { z } from 'zod';
import type { ModelSpec } from '../../model/types.js';
import { autoCorrelation } from '../../nn/auto-correlation.js';
import { createParamStore } from '../../nn/params.js';
import { buildDecompositionFormer } from '../decomposition-former.js';
import { checkDims, toNetwork } from '../network.js';
import { decompositionFormerFields } from '../decomposition-former-config.js';
import { TRANSFORMER_COMMON_DEFAULTS } from '../transformer-defaults.js';
import { autoformerSearchSpace } from './search-space.js';

/** Autoformer's own hyperparameters, with NeuralForecast's names and defaults. */
export const autoformerConfigSchema = z.object({
  ...decompositionFormerFields,
  /** Auto-correlation keeps ⌊factor·ln L⌋ delays. @default 3 */
  factor: z.number().positive().default(3),
  /** Attention heads; hidden_size // n_head channels each. @default 4 */
  n_head: z.number().int().min(1).default(4),
});

/** Parsed Autoformer config. */
export type AutoformerConfig = z.output<typeof autoformerConfigSchema>;

/** NeuralForecast's capability table row: future exogenous only (as calendar-like marks). */
const exogenous = { futr: true, hist: false, stat: false } as const;

/** NeuralForecast's `Autoformer`. */
export const autoformer = {
  id: 'autoformer',
  label: 'Autoformer',
  description:
    'Autoformer: decomposition transformer with auto-correlation attention over period delays (Wu et al., NeurIPS 2021).',
  family: 'transformer',
  kind: 'univariate',
  forecastType: 'direct',
  exogenous,
  categoricalExogenous: true,
  configSchema: autoformerConfigSchema,
  commonDefaults: TRANSFORMER_COMMON_DEFAULTS,
  defaultSearchSpace: autoformerSearchSpace,
  build(config, dims, seed) {
    checkDims({ label: 'Autoformer', exogenous }, dims);
    const store = createParamStore('autoformer', seed);
    // NeuralForecast builds one AutoCorrelation per sublayer; they hold no weights.
    const inner = () => autoCorrelation({ factor: config.factor });
    const body = buildDecompositionFormer(store, {
      label: 'Autoformer',
      config,
      dims,
      attentions: { encoderSelf: inner, decoderSelf: inner, decoderCross: inner },
    });
    return toNetwork(store, body);
  },
} as const satisfies ModelSpec<AutoformerConfig>;
