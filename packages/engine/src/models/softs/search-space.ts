/** NeuralForecast's AutoSOFTS and AutoSOFTSSharp default search spaces. */
import type { SearchSpace } from '@nflab/tune';
import { ray } from '@nflab/tune';
import { multivariateSearchSpace } from '../base-space.js';

/**
 * AutoSOFTS.default_config for horizon `h`: input_size h × [1…5], step_size ∈ {1, h}, no
 * windows_batch_size; `n_series` is not searched (NeuralForecast fills it from the data). Its
 * scaler choices are `[None, 'robust', 'standard', 'identity']`: None and 'identity' both mean no
 * scaling, so the choice is the three distinct scalers.
 */
export const softsSearchSpace = (h: number): SearchSpace =>
  multivariateSearchSpace(h, {
    model: {
      hidden_size: ray.choice([64, 128, 256, 512]),
      d_core: ray.choice([64, 128, 256, 512]),
    },
  });

/** AutoSOFTSSharp.default_config for horizon `h`: AutoSOFTS's, plus pe_keep_prob ∈ {0.25, 0.5, 0.75, 1}. */
export const softsSharpSearchSpace = (h: number): SearchSpace => ({
  ...softsSearchSpace(h),
  pe_keep_prob: ray.choice([0.25, 0.5, 0.75, 1.0]),
});
