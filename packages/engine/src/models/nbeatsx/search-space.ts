/** NeuralForecast's AutoNBEATSx default search space. */
import type { SearchSpace } from '@nflab/tune';
import { baseSearchSpace } from '../base-space.js';

/** AutoNBEATSx.default_config for horizon `h` (training keys only, as NBEATS). */
export const nbeatsxSearchSpace = (h: number): SearchSpace => baseSearchSpace(h, { maxSteps: 'choice' });
