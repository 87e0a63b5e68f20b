import { ConfigError } from '@nflab/contracts';
import { ksTwoSample } from './kolmogorov-smirnov.js';
import { requireSamples } from './samples.js';

/** How a model's absolute errors on new draws compare with its errors in a reference window. */
export interface ErrorDrift {
  readonly referenceMae: number;
  readonly currentMae: number;
  /** currentMae / referenceMae: above 1 means the model got worse. */
  readonly maeRatio: number;
  /** KS on the absolute errors; `sign` +1 means the current errors are larger where D is attained. */
  readonly ks: { readonly statistic: number; readonly pValue: number; readonly sign: 1 | -1 };
}

const mean = (values: readonly number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;

/**
 * Error drift of a model: the MAE ratio of the current to the reference window and a two-sample
 * KS test on the absolute errors (does the whole error distribution differ, not just its mean).
 */
export function errorDrift(
  referenceAbsErrors: readonly number[],
  currentAbsErrors: readonly number[],
): ErrorDrift {
  requireSamples(referenceAbsErrors, currentAbsErrors);
  for (const [label, values] of [
    ['referenceAbsErrors', referenceAbsErrors],
    ['currentAbsErrors', currentAbsErrors],
  ] as const) {
    const at = values.findIndex((value) => value < 0);
    if (at >= 0) {
      throw new ConfigError(`${label}[${at}] must be an absolute error >= 0, got ${String(values[at])}`);
    }
  }
  const referenceMae = mean(referenceAbsErrors);
  if (referenceMae === 0) {
    throw new ConfigError('referenceAbsErrors are all 0, so the MAE ratio is undefined');
  }
  const currentMae = mean(currentAbsErrors);
  const ks = ksTwoSample(referenceAbsErrors, currentAbsErrors);
  return {
    referenceMae,
    currentMae,
    maeRatio: currentMae / referenceMae,
    ks: { statistic: ks.statistic, pValue: ks.pValue, sign: ks.sign },
  };
}
