import * as tf from '@tensorflow/tfjs-core';
import { setBackend } from '../src/backend/backend.js';

/** What a backend computed: the output's shape and values. */
export interface OpResult {
  shape: number[];
  values: number[];
}

/**
 * Shape and values of `op` on `backend`, applied to a tensor of `shape` and `dtype` holding
 * `fill(i)` at flat index i — so one case can be run on cpu and on wasm and compared.
 */
export const opOn = async (
  backend: 'cpu' | 'wasm',
  input: { shape: number[]; dtype: 'float32' | 'int32'; fill: (i: number) => number },
  op: (x: tf.Tensor) => tf.Tensor,
): Promise<OpResult> => {
  await setBackend(backend);
  const n = input.shape.reduce((a, b) => a * b, 1);
  const x = tf.tensor(
    Array.from({ length: n }, (_, i) => input.fill(i)),
    input.shape,
    input.dtype,
  );
  const y = op(x);
  const result = { shape: y.shape, values: Array.from(y.dataSync()) };
  tf.dispose([x, y]);
  return result;
};
