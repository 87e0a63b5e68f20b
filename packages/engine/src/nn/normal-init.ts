/** Normal (Kaiming) initialisation for convolutions and embeddings, drawn from the store's seeded stream. */
import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from './params.js';

/**
 * Creates variable `<path>` of `shape` with N(0, std²) values. The store only offers uniform and
 * constant initialisers, so the variable is registered at 0 (keeping its name and creation order)
 * and then assigned draws from the same seeded stream: the same seed gives the same weights.
 */
export function normalVariable(
  store: ParamStore,
  path: string,
  shape: readonly number[],
  std: number,
): tf.Variable {
  const variable = store.constant(path, shape, 0);
  const values = new Float32Array(variable.size);
  for (let i = 0; i < values.length; i += 1) values[i] = std * store.rng.normal();
  const initial = tf.tensor(values, [...shape], 'float32');
  variable.assign(initial);
  initial.dispose();
  return variable;
}
