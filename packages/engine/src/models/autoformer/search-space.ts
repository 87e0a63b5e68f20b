/** NeuralForecast's AutoAutoformer default search space. */
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';
import { longTrainingSearchSpace } from '../base-space.js';

/** AutoAutoformer.default_config for horizon `h`: hidden_size and n_head around the shared keys. */
export const autoformerSearchSpace = (h: number): SearchSpace =>
  longTrainingSearchSpace(h, { hidden_size: ray.choice([64, 128, 256]), n_head: ray.choice([4, 8]) });
