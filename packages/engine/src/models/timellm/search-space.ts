/** TimeLLM's default search space. */
import type { SearchSpace } from '@nflab/tune';
import { baseSearchSpace } from '../base-space.js';

/**
 * NeuralForecast 3.2 has no AutoTimeLLM, so no `default_config` to follow: the space is its
 * `get_default_config` shared by every Auto model (input_size h…5h, learning_rate, scaler_type,
 * max_steps {500, 1000}, batch sizes, random_seed, step_size) and none of TimeLLM's own keys.
 * `llm` is never searched: the run's config names the directory.
 */
export const timellmSearchSpace = (h: number): SearchSpace => baseSearchSpace(h, { maxSteps: 'choice' });
