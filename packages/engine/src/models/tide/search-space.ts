/** NeuralForecast's AutoTiDE default search space. */
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';
import { baseSearchSpace } from '../base-space.js';

/** AutoTiDE.default_config for horizon `h` (its learning rate range is 1e-5…1e-2). */
export const tideSearchSpace = (h: number): SearchSpace =>
  baseSearchSpace(h, {
    maxSteps: 'quniform',
    learningRate: [1e-5, 1e-2],
    model: {
      hidden_size: ray.choice([256, 512, 1024]),
      decoder_output_dim: ray.choice([8, 16, 32]),
      temporal_decoder_dim: ray.choice([32, 64, 128]),
      num_encoder_layers: ray.choice([1, 2, 3]),
      num_decoder_layers: ray.choice([1, 2, 3]),
      temporal_width: ray.choice([4, 8, 16]),
      dropout: ray.choice([0.0, 0.1, 0.2, 0.3, 0.5]),
      layernorm: ray.choice([true, false]),
    },
  });
