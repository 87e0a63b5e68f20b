/**
 * Helpers of the recurrent model tests: hand-set weights by name, the scalar logistic function, and
 * the seeded inputs and relative error the fused-kernel tests compare the step-by-step path with.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import type { ModelNetwork } from '../src/model/types.js';
import { createElmanCell } from '../src/models/recurrent/elman-cell.js';
import type { FusedKind } from '../src/models/recurrent/fused-loops.js';
import { createGruCell } from '../src/models/recurrent/gru-cell.js';
import { createLstmCell } from '../src/models/recurrent/lstm-cell.js';
import { createProjectedLstmCell } from '../src/models/recurrent/projected-lstm-cell.js';
import { logicalName, type ParamStore } from '../src/nn/params.js';

/** The logistic function on one number, for references written out by hand. */
export const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/**
 * Assigns every variable of `net` from `values`, keyed by the name under the model
 * (`hist_encoder/layer_0/ih/kernel`); a variable left out or a key matching none fails, so no
 * random initial weight can slip into a hand-computed forward.
 */
export function assignWeights(net: ModelNetwork, values: Record<string, number[] | number[][]>): void {
  const names = net.variables.map((v) => logicalName(v).split('/').slice(1).join('/'));
  const keys = Object.keys(values);
  if ([...names].sort().join() !== [...keys].sort().join()) {
    throw new Error(`weights given for [${keys.join(', ')}] but the network has [${names.join(', ')}]`);
  }
  net.variables.forEach((variable, i) => {
    const value = values[names[i] as string] as number[] | number[][];
    variable.assign(tf.tensor(value, variable.shape));
  });
}

/** Deterministic values in [-1.5, 1.5) (an LCG), so both paths see the same inputs. */
export const seeded = (shape: number[], seed: number): tf.Tensor => {
  let s = seed >>> 0;
  const size = shape.reduce((p, d) => p * d, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return (s / 2 ** 32 - 0.5) * 3;
    }),
    shape,
  );
};

/** Largest |a - b| relative to the reference's largest magnitude. */
export const relativeError = (got: Float32Array, want: Float32Array): number => {
  expect(got.length).toBe(want.length);
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < want.length; i++) {
    scale = Math.max(scale, Math.abs(want[i]!));
    diff = Math.max(diff, Math.abs(got[i]! - want[i]!));
  }
  return diff / Math.max(scale, 1e-30);
};

/**
 * The cell of a fused-op test case (`c`): Elman by its activation, LSTM (projected to 3 outputs
 * when `projected`) or GRU, at path `c` with 2 inputs.
 */
export function createCaseCell(
  store: ParamStore,
  c: { readonly kind: FusedKind; readonly projected: boolean },
  layer: { readonly hiddenSize: number; readonly bias?: boolean },
) {
  const options = { path: 'c', inputSize: 2, ...layer };
  if (c.projected) return createProjectedLstmCell(store, { ...options, projSize: 3 });
  if (c.kind === 'lstm') return createLstmCell(store, options);
  if (c.kind === 'gru') return createGruCell(store, options);
  return createElmanCell(store, { ...options, activation: c.kind });
}
