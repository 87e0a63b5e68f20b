/** The job the Auto worker pool sends a trial worker (see threads/worker-channel.ts for the messages). */
import type { FitOptions } from '../core/types.js';
import type { BackendName } from '../backend/backend.js';
import type { Freq } from '../data/freq.js';
import type { LocalScalerType } from '../scalers/types.js';

/** One trial's fit, as a worker receives it (structured-cloned). */
export interface TrialJob {
  readonly model: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly freq: Freq;
  readonly localScalerType: LocalScalerType | null;
  readonly df: FitOptions['df'];
  readonly staticDf?: FitOptions['staticDf'];
  readonly valSize: number;
  /** The TensorFlow.js backend the main thread uses, so trials compute the same way. */
  readonly backend: BackendName;
  /** True when the main thread runs matmuls on OpenBLAS, so trials do too (one BLAS thread each). */
  readonly nativeMatmul: boolean;
}
