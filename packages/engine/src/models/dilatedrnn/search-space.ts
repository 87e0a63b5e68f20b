/** NeuralForecast's AutoDilatedRNN default search space. */
import { ConfigError } from '@nflab/contracts';
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';

/**
 * AutoDilatedRNN.default_config for horizon `h`. Its `input_size_multiplier` [-1, 4, 16, 64] gives
 * input_size -h, 4h, 16h, 64h; NeuralForecast turns a non-positive input_size into 3h, and the
 * engine requires a positive one, so 3h is written directly. `inference_input_size_multiplier`
 * [-1] is kept as -h (NeuralForecast: "use input_size"). Like AutoRNN it sets no scaler_type,
 * windows_batch_size or step_size, so those stay at DilatedRNN's defaults.
 */
export const dilatedRnnSearchSpace = (h: number): SearchSpace => {
  if (!Number.isInteger(h) || h < 1) throw new ConfigError(`h must be a positive integer, got ${h}`);
  return {
    input_size: ray.choice([3 * h, 4 * h, 16 * h, 64 * h]),
    inference_input_size: ray.choice([-h]),
    cell_type: ray.choice(['LSTM', 'GRU']),
    encoder_hidden_size: ray.choice([16, 32, 64, 128]),
    dilations: ray.choice([
      [
        [1, 2],
        [4, 8],
      ],
      [[1, 2, 4, 8]],
    ]),
    context_size: ray.choice([5, 10, 50]),
    decoder_hidden_size: ray.choice([16, 32, 64, 128]),
    learning_rate: ray.loguniform(1e-4, 1e-1),
    max_steps: ray.choice([500, 1000]),
    batch_size: ray.choice([16, 32]),
    random_seed: ray.randint(1, 20),
  };
};
