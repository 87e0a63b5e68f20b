/** Standard-normal initial weights, as `nn.Parameter(torch.randn(...))` in NeuralForecast's own cells. */
import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../../nn/params.js';

/**
 * Overwrites `variable` with N(0, 1) values from the store's seeded stream. NeuralForecast's
 * ResLSTMCell and LSTMCell never re-initialise their `torch.randn` parameters, so they start far
 * larger than PyTorch's own layers; keeping that keeps their training behaviour.
 */
export function fillRandn(store: ParamStore, variable: tf.Variable): void {
  const values = new Float32Array(variable.size);
  for (let i = 0; i < values.length; i += 1) values[i] = store.rng.normal();
  tf.tidy(() => variable.assign(tf.tensor(values, variable.shape, 'float32')));
}

/** Creates a store variable `<path>` of `shape` with N(0, 1) values (see {@link fillRandn}). */
export function randnVariable(store: ParamStore, path: string, shape: readonly number[]): tf.Variable {
  const variable = store.constant(path, shape, 0);
  fillRandn(store, variable);
  return variable;
}
