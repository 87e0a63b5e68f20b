/** NeuralForecast's AutoFEDformer default search space. */
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';
import { longTrainingSearchSpace } from '../base-space.js';

/** AutoFEDformer.default_config for horizon `h`: AutoAutoformer's keys without n_head (FEDformer requires 8). */
export const fedformerSearchSpace = (h: number): SearchSpace =>
  longTrainingSearchSpace(h, { hidden_size: ray.choice([64, 128, 256]) });
