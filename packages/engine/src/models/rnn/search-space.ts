/** NeuralForecast's AutoRNN default search space. */
import type { SearchSpace } from '@nflab/tune';
import { recurrentSearchSpace } from '../recurrent/search-space.js';

/** AutoRNN.default_config for horizon `h`: in NeuralForecast 3.2 the one AutoRNN, AutoLSTM and AutoGRU share. */
export const rnnSearchSpace = (h: number): SearchSpace => recurrentSearchSpace(h);
