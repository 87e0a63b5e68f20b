/** NeuralForecast's AutoMLPMultivariate default search space. */
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';
import { multivariateSearchSpace } from '../base-space.js';

/**
 * AutoMLPMultivariate.default_config for horizon `h`. It has no windows_batch_size; its `n_series`
 * is not searched (NeuralForecast fills it from the data), so the caller fixes it.
 */
export const mlpMultivariateSearchSpace = (h: number): SearchSpace =>
  multivariateSearchSpace(h, {
    model: {
      hidden_size: ray.choice([256, 512, 1024]),
      num_layers: ray.randint(2, 6),
    },
    maxSteps: [500, 1000],
  });
