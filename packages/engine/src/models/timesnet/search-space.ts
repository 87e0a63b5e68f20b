/** NeuralForecast's AutoTimesNet default search space. */
import { ConfigError } from '@nflab/contracts';
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';
import { INPUT_SIZE_MULTIPLIERS } from '../base-space.js';

/**
 * AutoTimesNet.default_config for horizon `h`. It has its own key set — scaler_type without None,
 * max_steps up to 2000, smaller windows batches and no step_size — so it does not start from
 * baseSearchSpace.
 */
export const timesnetSearchSpace = (h: number): SearchSpace => {
  if (!Number.isInteger(h) || h < 1) throw new ConfigError(`h must be a positive integer, got ${h}`);
  return {
    input_size: ray.choice(INPUT_SIZE_MULTIPLIERS.map((m) => h * m)),
    hidden_size: ray.choice([32, 64, 128]),
    conv_hidden_size: ray.choice([32, 64, 128]),
    learning_rate: ray.loguniform(1e-4, 1e-1),
    scaler_type: ray.choice(['robust', 'standard']),
    max_steps: ray.choice([500, 1000, 2000]),
    batch_size: ray.choice([32, 64, 128]),
    windows_batch_size: ray.choice([32, 64, 128, 256]),
    random_seed: ray.randint(1, 20),
  };
};
