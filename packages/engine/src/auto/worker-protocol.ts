/** Messages between the Auto worker pool (main thread) and a trial worker. */
import type { FitOptions } from '../core/types.js';
import type { BackendName } from '../backend/backend.js';
import type { Freq } from '../data/freq.js';
import type { LocalScalerType } from '../scalers/types.js';
import type { TrainingEvent } from '../training/train.js';

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

/** Main thread → worker. */
export type ToWorker =
  | { readonly type: 'run'; readonly id: number; readonly job: TrialJob }
  | { readonly type: 'stop'; readonly id: number };

/** Worker → main thread. */
export type FromWorker =
  | { readonly type: 'progress'; readonly id: number; readonly event: TrainingEvent }
  | { readonly type: 'done'; readonly id: number }
  | {
      readonly type: 'error';
      readonly id: number;
      readonly name: string;
      readonly message: string;
      readonly stack?: string;
    };
