/** NeuralForecast's AutoBiTCN default search space. */
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';
import { baseSearchSpace } from '../base-space.js';

/**
 * AutoBiTCN.default_config for horizon `h`: the shared keys (its `get_default_config` adds
 * step_size ∈ {1, h} like the others), but `max_steps` is `choice([500, 1000, 2000])`, a set no
 * other model shares, so it replaces the base entry in place.
 */
export const bitcnSearchSpace = (h: number): SearchSpace => ({
  ...baseSearchSpace(h, {
    maxSteps: 'choice',
    model: {
      hidden_size: ray.choice([16, 32]),
      dropout: ray.uniform(0.0, 0.99),
    },
  }),
  max_steps: ray.choice([500, 1000, 2000]),
});
