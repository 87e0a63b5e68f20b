/** The default search space NeuralForecast 3.2's AutoRNN, AutoLSTM and AutoGRU share. */
import { ConfigError } from '@nflab/contracts';
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';

/**
 * AutoRNN.default_config for horizon `h`, which AutoLSTM and AutoGRU repeat key for key. Its `input_size_multiplier` [-1, 4, 16, 64] gives
 * input_size -h, 4h, 16h, 64h; NeuralForecast turns a non-positive input_size into 3h, so -1 is
 * 3h here. `inference_input_size_multiplier` [-1] is kept as -h (NeuralForecast: "use input_size").
 * The three set no scaler_type, windows_batch_size or step_size, so those stay at their defaults.
 */
export const recurrentSearchSpace = (h: number): SearchSpace => {
  if (!Number.isInteger(h) || h < 1) throw new ConfigError(`h must be a positive integer, got ${h}`);
  return {
    input_size: ray.choice([3 * h, 4 * h, 16 * h, 64 * h]),
    inference_input_size: ray.choice([-h]),
    encoder_hidden_size: ray.choice([16, 32, 64, 128]),
    encoder_n_layers: ray.randint(1, 4),
    context_size: ray.choice([5, 10, 50]),
    decoder_hidden_size: ray.choice([16, 32, 64, 128]),
    learning_rate: ray.loguniform(1e-4, 1e-1),
    max_steps: ray.choice([500, 1000]),
    batch_size: ray.choice([16, 32]),
    random_seed: ray.randint(1, 20),
  };
};
