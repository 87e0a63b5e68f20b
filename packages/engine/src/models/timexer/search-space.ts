/** NeuralForecast's AutoTimeXer default search space. */
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';
import { INPUT_SIZE_MULTIPLIERS } from '../base-space.js';
import { checkHorizon } from '../multivariate.js';

/**
 * AutoTimeXer.default_config for horizon `h`: input_size h × [1…5], step_size ∈ {1, h}, no
 * windows_batch_size; `scaler_type: None` becomes `'identity'`; `n_series` is not searched
 * (NeuralForecast fills it from the data). patch_len stays at 16, so an input_size under 16 fails
 * its trial, as it does in NeuralForecast.
 */
export const timexerSearchSpace = (h: number): SearchSpace => {
  checkHorizon(h);
  return {
    input_size: ray.choice(INPUT_SIZE_MULTIPLIERS.map((m) => h * m)),
    hidden_size: ray.choice([128, 256, 512]),
    n_heads: ray.choice([4, 8]),
    learning_rate: ray.loguniform(1e-4, 1e-1),
    scaler_type: ray.choice(['identity', 'robust', 'standard']),
    max_steps: ray.choice([500, 1000, 2000]),
    batch_size: ray.choice([32, 64, 128, 256]),
    random_seed: ray.randint(1, 20),
    step_size: ray.choice(h === 1 ? [1] : [1, h]),
  };
};
