/** NeuralForecast's AutoTimeXer default search space. */
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';
import { itransformerSearchSpace } from '../itransformer/search-space.js';

/**
 * AutoTimeXer.default_config for horizon `h`: AutoiTransformer's (input_size h × [1…5], step_size
 * ∈ {1, h}, no windows_batch_size, `scaler_type: None` as `'identity'`, `n_series` unsearched) with
 * wider tokens, hidden_size ∈ {128, 256, 512}. patch_len stays at 16, so an input_size under 16
 * fails its trial, as it does in NeuralForecast.
 */
export const timexerSearchSpace = (h: number): SearchSpace => ({
  ...itransformerSearchSpace(h),
  hidden_size: ray.choice([128, 256, 512]),
});
