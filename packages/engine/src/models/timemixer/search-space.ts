/** NeuralForecast's AutoTimeMixer default search space. */
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';
import { INPUT_SIZE_MULTIPLIERS } from '../base-space.js';
import { checkHorizon } from '../multivariate.js';

/**
 * AutoTimeMixer.default_config for horizon `h`: no windows_batch_size and no step_size; `n_series`
 * is not searched (NeuralForecast fills it from the data). Its scaler_type choices `None` and
 * `'identity'` are the same scaler here, so they are one choice.
 */
export const timemixerSearchSpace = (h: number): SearchSpace => {
  checkHorizon(h);
  return {
    input_size: ray.choice(INPUT_SIZE_MULTIPLIERS.map((m) => h * m)),
    d_model: ray.choice([16, 32, 64]),
    d_ff: ray.choice([16, 32, 64]),
    down_sampling_layers: ray.choice([1, 2]),
    learning_rate: ray.loguniform(1e-4, 1e-1),
    scaler_type: ray.choice(['identity', 'robust', 'standard']),
    max_steps: ray.choice([500, 1000, 2000]),
    batch_size: ray.choice([32, 64, 128, 256]),
    random_seed: ray.randint(1, 20),
  };
};
