/** NeuralForecast's AutoDLinear default search space. */
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';
import { baseSearchSpace } from '../base-space.js';

/** AutoDLinear.default_config for horizon `h`. */
export const dlinearSearchSpace = (h: number): SearchSpace =>
  baseSearchSpace(h, { maxSteps: 'quniform', model: { moving_avg_window: ray.choice([11, 25, 51]) } });
