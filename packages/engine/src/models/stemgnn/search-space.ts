/** NeuralForecast's AutoStemGNN default search space. */
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';
import { checkHorizon } from '../multivariate.js';

/**
 * AutoStemGNN.default_config for horizon `h`: input_size h × [1…4], step_size ∈ {1, h}, no
 * windows_batch_size; `scaler_type: None` becomes `'identity'`; `n_series` is not searched
 * (NeuralForecast fills it from the data).
 */
export const stemgnnSearchSpace = (h: number): SearchSpace => {
  checkHorizon(h);
  return {
    input_size: ray.choice([1, 2, 3, 4].map((m) => h * m)),
    n_stacks: ray.choice([2]),
    multi_layer: ray.choice([3, 5, 7]),
    learning_rate: ray.loguniform(1e-4, 1e-1),
    scaler_type: ray.choice(['identity', 'robust', 'standard']),
    max_steps: ray.choice([500, 1000, 2000]),
    batch_size: ray.choice([32, 64, 128, 256]),
    random_seed: ray.randint(1, 20),
    step_size: ray.choice(h === 1 ? [1] : [1, h]),
  };
};
