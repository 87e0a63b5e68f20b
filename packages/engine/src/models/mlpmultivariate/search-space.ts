/** NeuralForecast's AutoMLPMultivariate default search space. */
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';
import { INPUT_SIZE_MULTIPLIERS } from '../base-space.js';
import { checkHorizon } from '../multivariate.js';

/**
 * AutoMLPMultivariate.default_config for horizon `h`. It has no windows_batch_size; its `n_series`
 * is not searched (NeuralForecast fills it from the data), so the caller fixes it.
 */
export const mlpMultivariateSearchSpace = (h: number): SearchSpace => {
  checkHorizon(h);
  return {
    input_size: ray.choice(INPUT_SIZE_MULTIPLIERS.map((m) => h * m)),
    hidden_size: ray.choice([256, 512, 1024]),
    num_layers: ray.randint(2, 6),
    learning_rate: ray.loguniform(1e-4, 1e-1),
    scaler_type: ray.choice(['identity', 'robust', 'standard']),
    max_steps: ray.choice([500, 1000]),
    batch_size: ray.choice([32, 64, 128, 256]),
    random_seed: ray.randint(1, 20),
    step_size: ray.choice(h === 1 ? [1] : [1, h]),
  };
};
