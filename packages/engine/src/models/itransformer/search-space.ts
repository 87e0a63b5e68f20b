/** NeuralForecast's AutoiTransformer default search space. */
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';
import { INPUT_SIZE_MULTIPLIERS } from '../base-space.js';
import { checkHorizon } from '../multivariate.js';

/**
 * AutoiTransformer.default_config for horizon `h`: input_size h × [1…5], step_size ∈ {1, h}, no
 * windows_batch_size; `scaler_type: None` becomes `'identity'`; `n_series` is not searched
 * (NeuralForecast fills it from the data).
 */
export const itransformerSearchSpace = (h: number): SearchSpace => {
  checkHorizon(h);
  return {
    input_size: ray.choice(INPUT_SIZE_MULTIPLIERS.map((m) => h * m)),
    hidden_size: ray.choice([64, 128, 256]),
    n_heads: ray.choice([4, 8]),
    learning_rate: ray.loguniform(1e-4, 1e-1),
    scaler_type: ray.choice(['identity', 'robust', 'standard']),
    max_steps: ray.choice([500, 1000, 2000]),
    batch_size: ray.choice([32, 64, 128, 256]),
    random_seed: ray.randint(1, 20),
    step_size: ray.choice(h === 1 ? [1] : [1, h]),
  };
};
