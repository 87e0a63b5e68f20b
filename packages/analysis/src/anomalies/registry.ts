import type { AnomalyMethod, AnomalyResult } from './baseline.js';
import { cusumAnomalies } from './cusum.js';
import { iqrAnomalies } from './iqr.js';
import { robustZAnomalies } from './robust-z.js';
import { zScoreAnomalies } from './z-score.js';

/**
 * Every residual-anomaly detector, keyed by the id its results carry in `method` (a test checks).
 * Each takes its own typed options.
 */
export const ANOMALY_DETECTORS = {
  zscore: zScoreAnomalies,
  mad: robustZAnomalies,
  cusum: cusumAnomalies,
  iqr: iqrAnomalies,
} as const satisfies Record<AnomalyMethod, (residuals: readonly number[], options?: never) => AnomalyResult>;
