/** NeuralForecast's AutoiTransformer default search space. */
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';
import { multivariateSearchSpace } from '../base-space.js';

/**
 * AutoiTransformer.default_config for horizon `h`: input_size h × [1…5], step_size ∈ {1, h}, no
 * windows_batch_size; `scaler_type: None` becomes `'identity'`; `n_series` is not searched
 * (NeuralForecast fills it from the data).
 */
export const itransformerSearchSpace = (h: number): SearchSpace =>
  multivariateSearchSpace(h, {
    model: {
      hidden_size: ray.choice([64, 128, 256]),
      n_heads: ray.choice([4, 8]),
    },
  });
