/** NeuralForecast's AutoLSTM default search space. */
import type { SearchSpace } from '@nflab/tune';
import { recurrentSearchSpace } from '../recurrent/search-space.js';

/** AutoLSTM.default_config for horizon `h`: in NeuralForecast 3.2 the one AutoRNN, AutoLSTM and AutoGRU share. */
export const lstmSearchSpace = (h: number): SearchSpace => recurrentSearchSpace(h);
