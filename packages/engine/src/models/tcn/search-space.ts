/** NeuralForecast's AutoTCN default search space. */
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';
import { ConfigError } from '@nflab/contracts';

/** AutoTCN's `input_size_multiplier`; NeuralForecast turns the -1 (input_size -h < 1) into 3·h. */
export const TCN_INPUT_SIZE_MULTIPLIERS = [3, 4, 16, 64] as const;

/**
 * AutoTCN.default_config for horizon `h`. Unlike the other Auto models it has its own key set
 * (no scaler_type, windows_batch_size or step_size), so it does not start from baseSearchSpace.
 * `input_size_multiplier: [-1, 4, 16, 64]` gives input_size -h, which BaseModel replaces by 3·h;
 * the engine requires a positive input_size, so 3·h is written directly. `inference_input_size`
 * is `choice([-h])` as in NeuralForecast (below 1 means "use input_size").
 */
export const tcnSearchSpace = (h: number): SearchSpace => {
  if (!Number.isInteger(h) || h < 1) throw new ConfigError(`h must be a positive integer, got ${h}`);
  return {
    input_size: ray.choice(TCN_INPUT_SIZE_MULTIPLIERS.map((m) => h * m)),
    inference_input_size: ray.choice([-h]),
    encoder_hidden_size: ray.choice([16, 32, 64, 128]),
    context_size: ray.choice([5, 10, 50]),
    decoder_hidden_size: ray.choice([32, 64]),
    learning_rate: ray.loguniform(1e-4, 1e-1),
    max_steps: ray.choice([500, 1000]),
    batch_size: ray.choice([16, 32]),
    random_seed: ray.randint(1, 20),
  };
};
