/** NeuralForecast's AutoDeepAR default search space. */
import { ConfigError } from '@nflab/contracts';
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';

/**
 * AutoDeepAR.default_config for horizon `h`: input_size from `input_size_multiplier` [1, 2, 3, 4, 5]
 * and step_size choice([1, h]), as `get_default_config` adds them. Its `loss: None` leaves the loss to
 * the Auto options (NeuralForecast's AutoDeepAR passes DistributionLoss(StudentT) and valid_loss
 * MQLoss), so the space has no loss key.
 */
export const deeparSearchSpace = (h: number): SearchSpace => {
  if (!Number.isInteger(h) || h < 1) throw new ConfigError(`h must be a positive integer, got ${h}`);
  return {
    input_size: ray.choice([1, 2, 3, 4, 5].map((m) => m * h)),
    lstm_hidden_size: ray.choice([32, 64, 128, 256]),
    lstm_n_layers: ray.randint(1, 4),
    lstm_dropout: ray.uniform(0, 0.5),
    learning_rate: ray.loguniform(1e-4, 1e-1),
    scaler_type: ray.choice(['robust', 'minmax1']),
    max_steps: ray.choice([500, 1000, 2000]),
    batch_size: ray.choice([32, 64, 128, 256]),
    windows_batch_size: ray.choice([128, 256, 512, 1024]),
    random_seed: ray.randint(1, 20),
    step_size: ray.choice([1, h]),
  };
};
