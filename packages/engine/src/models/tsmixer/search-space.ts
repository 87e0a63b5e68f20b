/** NeuralForecast's AutoTSMixer / AutoTSMixerx default search space. */
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';
import { checkHorizon } from '../multivariate.js';

/**
 * AutoTSMixer.default_config (AutoTSMixerx's is the same) for horizon `h`: input_size h × [1…4],
 * no windows_batch_size; `n_series` is not searched (NeuralForecast fills it from the data).
 */
export const tsmixerSearchSpace = (h: number): SearchSpace => {
  checkHorizon(h);
  return {
    input_size: ray.choice([1, 2, 3, 4].map((m) => h * m)),
    n_block: ray.choice([1, 2, 4, 6, 8]),
    learning_rate: ray.loguniform(1e-4, 1e-2),
    ff_dim: ray.choice([32, 64, 128]),
    scaler_type: ray.choice(['identity', 'robust', 'standard']),
    max_steps: ray.choice([500, 1000, 2000]),
    batch_size: ray.choice([32, 64, 128, 256]),
    dropout: ray.uniform(0, 0.99),
    random_seed: ray.randint(1, 20),
    step_size: ray.choice(h === 1 ? [1] : [1, h]),
  };
};
