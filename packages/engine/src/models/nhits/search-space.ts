/** NeuralForecast's AutoNHITS default search space. */
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';
import { baseSearchSpace } from '../base-space.js';

/** AutoNHITS.default_config for horizon `h`: pooling kernels and downsampling as list choices. */
export const nhitsSearchSpace = (h: number): SearchSpace =>
  baseSearchSpace(h, {
    maxSteps: 'quniform',
    model: {
      n_pool_kernel_size: ray.choice([
        [2, 2, 1],
        [1, 1, 1],
        [2, 2, 2],
        [4, 4, 4],
        [8, 4, 1],
        [16, 8, 1],
      ]),
      n_freq_downsample: ray.choice([
        [168, 24, 1],
        [24, 12, 1],
        [180, 60, 1],
        [60, 8, 1],
        [40, 20, 1],
        [1, 1, 1],
      ]),
    },
  });
