/** Helpers of the LSTM and GRU model tests: hand-set weights by name, and the scalar logistic function. */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelNetwork } from '../src/model/types.js';
import { logicalName } from '../src/nn/params.js';

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
