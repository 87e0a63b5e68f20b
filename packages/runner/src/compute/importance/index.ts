/** Exogenous-column importance of a fitted model over its evaluation windows, by method. */
import type { ImportanceOptions } from '@nflab/contracts';
import type { WindowExplainer } from '@nflab/engine';
import { integratedGradientsRun } from './integrated-gradients.js';
import { kernelShapRun } from './kernel-shap.js';
import { permutationRun } from './permutation.js';
import type { FeatureImportance } from './types.js';

export type * from './types.js';

/** Computes the importance the options ask for; `signal` stops it between model calls (a cancelled run). */
export const computeImportance = (
  explainer: WindowExplainer,
  options: ImportanceOptions,
  signal?: AbortSignal,
): Promise<FeatureImportance> => {
  switch (options.method) {
    case 'permutation':
      return permutationRun(explainer, options, signal);
    case 'kernel_shap':
      return kernelShapRun(explainer, options, signal);
    case 'integrated_gradients':
      return integratedGradientsRun(explainer, options, signal);
  }
};
