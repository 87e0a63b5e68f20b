/** NeuralForecast's AutoXLinear default search space. */
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';
import { INPUT_SIZE_MULTIPLIERS } from '../base-space.js';
import { checkHorizon } from '../multivariate.js';

/**
 * AutoXLinear.default_config for horizon `h`: no windows_batch_size and no step_size; `n_series`
 * is not searched (NeuralForecast fills it from the data).
 */
export const xlinearSearchSpace = (h: number): SearchSpace => {
  checkHorizon(h);
  return {
    input_size: ray.choice(INPUT_SIZE_MULTIPLIERS.map((m) => h * m)),
    hidden_size: ray.choice([64, 128, 256]),
    use_norm: ray.choice([true, false]),
    learning_rate: ray.loguniform(1e-4, 1e-1),
    scaler_type: ray.choice(['identity', 'robust', 'standard']),
    max_steps: ray.choice([500, 1000]),
    batch_size: ray.choice([32, 64, 128, 256]),
    random_seed: ray.randint(1, 20),
  };
};
