/** NeuralForecast's AutoMLP default search space. */
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';
import { baseSearchSpace } from '../base-space.js';

/** AutoMLP.default_config for horizon `h` (num_layers is Ray's randint(2, 6): 2…5). */
export const mlpSearchSpace = (h: number): SearchSpace =>
  baseSearchSpace(h, {
    maxSteps: 'choice',
    model: { hidden_size: ray.choice([256, 512, 1024]), num_layers: ray.randint(2, 6) },
  });
