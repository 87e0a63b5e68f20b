/** NeuralForecast's AutoVanillaTransformer default search space. */
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';
import { baseSearchSpace } from '../base-space.js';

/**
 * AutoVanillaTransformer.default_config for horizon `h` (AutoInformer's is the same): the shared keys
 * with hidden_size and n_head, and `max_steps` as `choice([500, 1000, 2000])` in place of the base entry.
 */
export const vanillatransformerSearchSpace = (h: number): SearchSpace => ({
  ...baseSearchSpace(h, {
    maxSteps: 'choice',
    model: {
      hidden_size: ray.choice([64, 128, 256]),
      n_head: ray.choice([4, 8]),
    },
  }),
  max_steps: ray.choice([500, 1000, 2000]),
});
