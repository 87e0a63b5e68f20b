/** NeuralForecast's AutoNBEATS default search space. */
import type { SearchSpace } from '@nflab/tune';
import { baseSearchSpace } from '../base-space.js';

/** AutoNBEATS.default_config for horizon `h` (training keys only; the architecture keeps its defaults). */
export const nbeatsSearchSpace = (h: number): SearchSpace => baseSearchSpace(h, { maxSteps: 'choice' });
