/** NeuralForecast's AutoPatchTST default search space. */
import { ConfigError } from '@nflab/contracts';
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';

/**
 * AutoPatchTST.default_config for horizon `h`. Its own key set — input_size only up to 3h,
 * max_steps up to 5000, revin searched, no step_size — so it does not start from baseSearchSpace.
 * `scaler_type: None` becomes `'identity'`, the engine's name for "no scaling".
 */
export const patchtstSearchSpace = (h: number): SearchSpace => {
  if (!Number.isInteger(h) || h < 1) throw new ConfigError(`h must be a positive integer, got ${h}`);
  return {
    input_size: ray.choice([1, 2, 3].map((m) => h * m)),
    hidden_size: ray.choice([16, 128, 256]),
    n_heads: ray.choice([4, 16]),
    patch_len: ray.choice([16, 24]),
    learning_rate: ray.loguniform(1e-4, 1e-1),
    scaler_type: ray.choice(['identity', 'robust', 'standard']),
    revin: ray.choice([false, true]),
    max_steps: ray.choice([500, 1000, 5000]),
    batch_size: ray.choice([32, 64, 128, 256]),
    windows_batch_size: ray.choice([128, 256, 512, 1024]),
    random_seed: ray.randint(1, 20),
  };
};
