/** NeuralForecast's AutoGRU default search space. */
import type { SearchSpace } from '@nflab/tune';
import { recurrentSearchSpace } from '../recurrent/search-space.js';

/** AutoGRU.default_config for horizon `h`: in NeuralForecast 3.2 the one AutoRNN, AutoLSTM and AutoGRU share. */
export const gruSearchSpace = (h: number): SearchSpace => recurrentSearchSpace(h);
