/** Exogenous-column importance of a fitted model over its evaluation windows, by method. */
import type { ImportanceOptions } from '@nflab/contracts';
import type { WindowExplainer } from '@nflab/engine';
import { integratedGradientsRun } from './integrated-gradients.js';
import { kernelShapRun } from './kernel-shap.js';
import { permutationRun } from './permutation.js';
import type { FeatureImportance } from './types.js';

export type * from './types.js';

/** Computes the importance the options ask for. */
export const computeImportance = (
  explainer: WindowExplainer,
  options: ImportanceOptions,
): Promise<FeatureImportance> => {
  switch (options.method) {
    case 'permutation':
      return permutationRun(explainer, options);
    case 'kernel_shap':
      return kernelShapRun(explainer, options);
    case 'integrated_gradients':
      return integratedGradientsRun(explainer, options);
  }
};
