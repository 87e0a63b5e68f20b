/**
 * The operations a run can do, one file each. A new operation is its kind in contracts'
 * `runOperationSchema`, its file here, and one line in {@link OPERATIONS} — which the type below
 * requires: a kind without an entry, or an entry for no kind, does not compile.
 */
import type { RunOperationKind } from '@nflab/contracts';
import { crossValidate } from './cross-validate.js';
import { ensemble } from './ensemble.js';
import { importance } from './importance.js';
import { predict } from './predict.js';
import { refit } from './refit.js';
import { train } from './train.js';
import type { ComputeOperation, OperationContext, OperationOf, OperationResult } from './types.js';

export type * from './types.js';
export { ENSEMBLE_COLUMN } from './ensemble.js';

/** Every operation kind's member. */
export type OperationRegistry = { readonly [K in RunOperationKind]: ComputeOperation<K> };

/** The operations by kind. */
export const OPERATIONS = {
  train,
  predict,
  refit,
  cv: crossValidate,
  importance,
  ensemble,
} as const satisfies OperationRegistry;

/** The member of `kind`. */
export const operationOf = <K extends RunOperationKind>(kind: K): ComputeOperation<K> =>
  (OPERATIONS as OperationRegistry)[kind];

/** Runs `operation` with its member. */
export const runOperation = <K extends RunOperationKind>(
  operation: OperationOf<K>,
  context: OperationContext,
): Promise<OperationResult> => operationOf(operation.kind as K).run(operation, context);
