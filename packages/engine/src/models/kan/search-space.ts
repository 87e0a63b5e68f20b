/** NeuralForecast's AutoKAN default search space. */
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';
import { baseSearchSpace } from '../base-space.js';

/** AutoKAN.default_config for horizon `h`. */
export const kanSearchSpace = (h: number): SearchSpace =>
  baseSearchSpace(h, {
    maxSteps: 'quniform',
    model: {
      grid_size: ray.choice([5, 10, 15]),
      spline_order: ray.choice([2, 3, 4]),
      hidden_size: ray.choice([64, 128, 256, 512]),
    },
  });
