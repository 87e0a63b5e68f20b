/** Messages between a run's main-thread side and its compute thread. */
import type { ComputeJob, ComputeResult, StepEvent } from './compute-types.js';
import type { SerializedError } from '@nflab/engine';
import type { StorageCall, StorageReply } from './storage-rpc.js';

/** Main thread → compute thread. */
export type ToCompute =
  | { readonly type: 'start'; readonly job: ComputeJob }
  | { readonly type: 'stop'; readonly reason: string }
  | StorageReply;

/** Compute thread → main thread. */
export type FromCompute =
  | { readonly type: 'step'; readonly event: StepEvent }
  | { readonly type: 'log'; readonly message: string }
  | { readonly type: 'result'; readonly result: ComputeResult }
  | { readonly type: 'error'; readonly error: SerializedError }
  | StorageCall;
