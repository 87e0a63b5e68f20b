/** NeuralForecast's AutoDeepNPTS default search space. */
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';
import { baseSearchSpace } from '../base-space.js';

/** AutoDeepNPTS.default_config for horizon `h`. */
export const deepnptsSearchSpace = (h: number): SearchSpace =>
  baseSearchSpace(h, {
    maxSteps: 'quniform',
    model: {
      hidden_size: ray.choice([16, 32, 64]),
      dropout: ray.uniform(0.0, 0.99),
      n_layers: ray.choice([1, 2, 4]),
    },
  });
