/** NeuralForecast's AutoInformer default search space. */
import type { SearchSpace } from '@nflab/tune';
import { vanillatransformerSearchSpace } from '../vanillatransformer/search-space.js';

/**
 * AutoInformer.default_config for horizon `h`: auto.py writes out the same dict as
 * AutoVanillaTransformer's (hidden_size, n_head, max_steps ∈ {500, 1000, 2000} over the shared
 * keys), so it is that space; factor and distil keep their defaults.
 */
export const informerSearchSpace = (h: number): SearchSpace => vanillatransformerSearchSpace(h);
