/** NeuralForecast's AutoTFT default search space. */
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';
import { longTrainingSearchSpace } from '../base-space.js';

/** AutoTFT.default_config for horizon `h` (AutoAutoformer's keys: hidden_size and n_head). */
export const tftSearchSpace = (h: number): SearchSpace =>
  longTrainingSearchSpace(h, { hidden_size: ray.choice([64, 128, 256]), n_head: ray.choice([4, 8]) });
