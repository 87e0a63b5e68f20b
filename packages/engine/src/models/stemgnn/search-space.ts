/** NeuralForecast's AutoStemGNN default search space. */
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';
import { multivariateSearchSpace } from '../base-space.js';

/**
 * AutoStemGNN.default_config for horizon `h`: input_size h × [1…4], step_size ∈ {1, h}, no
 * windows_batch_size; `scaler_type: None` becomes `'identity'`; `n_series` is not searched
 * (NeuralForecast fills it from the data).
 */
export const stemgnnSearchSpace = (h: number): SearchSpace =>
  multivariateSearchSpace(h, {
    model: {
      n_stacks: ray.choice([2]),
      multi_layer: ray.choice([3, 5, 7]),
    },
    multipliers: [1, 2, 3, 4],
  });
