/** NeuralForecast's AutoTFT default search space. */
import { ConfigError } from '@nflab/contracts';
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';
import { INPUT_SIZE_MULTIPLIERS } from '../base-space.js';

/**
 * AutoTFT.default_config for horizon `h`: its own key set — max_steps up to 2000, no step_size —
 * so it does not start from baseSearchSpace. `scaler_type: None` becomes `'identity'`.
 */
export const tftSearchSpace = (h: number): SearchSpace => {
  if (!Number.isInteger(h) || h < 1) throw new ConfigError(`h must be a positive integer, got ${h}`);
  return {
    input_size: ray.choice(INPUT_SIZE_MULTIPLIERS.map((m) => h * m)),
    hidden_size: ray.choice([64, 128, 256]),
    n_head: ray.choice([4, 8]),
    learning_rate: ray.loguniform(1e-4, 1e-1),
    scaler_type: ray.choice(['identity', 'robust', 'standard']),
    max_steps: ray.choice([500, 1000, 2000]),
    batch_size: ray.choice([32, 64, 128, 256]),
    windows_batch_size: ray.choice([128, 256, 512, 1024]),
    random_seed: ray.randint(1, 20),
  };
};
