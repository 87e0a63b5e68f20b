/** NeuralForecast's AutoNLinear default search space. */
import type { SearchSpace } from '@nflab/tune';
import { baseSearchSpace } from '../base-space.js';

/** AutoNLinear.default_config for horizon `h` (training keys only). */
export const nlinearSearchSpace = (h: number): SearchSpace => baseSearchSpace(h, { maxSteps: 'quniform' });
