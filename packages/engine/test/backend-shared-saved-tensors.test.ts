import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { registerGradients } from '../src/backend/gradients.js';
import { setSharedSavedTensors } from '../src/backend/shared-saved-tensors.js';

/** Loss and gradients of a small two-layer network, and the kernels its tape ran. */
const step = () => {
  const x = tf.tensor2d([0.5, -1, 2, 0.25, 1.5, -0.75], [3, 2]);
  const w1 = tf.variable(tf.tensor2d([0.1, -0.2, 0.3, 0.4, -0.5, 0.6], [2, 3]));
  const w2 = tf.variable(tf.tensor2d([0.7, -0.8, 0.9], [3, 1]));
  const before = tf.memory().numTensors;
  let kernels = 0;
  const { value, grads } = tf.variableGrads(() => {
    const run = (tf.engine() as unknown as { state: { nextTapeNodeId: number } }).state;
    const start = run.nextTapeNodeId;
    const h = tf.reshape(tf.relu(tf.matMul(x, w1)), [3, 3]);
    const loss = tf.mean(tf.square(tf.sigmoid(tf.matMul(h, w2))));
    kernels = run.nextTapeNodeId - start;
    return loss as tf.Scalar;
  });
  const result = {
    loss: value.dataSync()[0],
    grads: Object.values(grads).map((g) => Array.from(g.dataSync())),
    leaked: 0,
    kernels,
  };
  tf.dispose([value, ...Object.values(grads)]);
  result.leaked = tf.memory().numTensors - before;
  tf.dispose([x, w1, w2]);
  return result;
};

beforeAll(async () => {
  await registerGradients();
  await setBackend('wasm');
});
afterAll(() => setSharedSavedTensors(true));

describe.each(['wasm', 'cpu'] as const)('saved tensors shared without a kernel (%s)', (backend) => {
  it('gives the same loss and gradients as tfjs clone, with no tape nodes of its own and no leaks', async () => {
    await setBackend(backend);
    setSharedSavedTensors(false);
    const reference = step();
    setSharedSavedTensors(true);
    const shared = step();
    expect(shared.loss).toBe(reference.loss);
    expect(shared.grads).toEqual(reference.grads);
    expect(shared.leaked).toBe(0);
    expect(reference.leaked).toBe(0);
    expect(shared.kernels).toBeLessThan(reference.kernels);
    await setBackend('wasm');
  });

  it('a saved tensor outlives its source and frees with the tape', async () => {
    await setBackend(backend);
    const tensors = tf.memory().numTensors;
    const init = tf.tensor1d([1, 2, 3]);
    const v = tf.variable(init);
    const { value, grads } = tf.variableGrads(() => {
      const y = tf.square(tf.mul(v, 2)); // Square saves its input: shared, not copied
      return tf.sum(y) as tf.Scalar;
    });
    expect(Array.from(grads[v.name]!.dataSync())).toEqual([8, 16, 24]); // d/dv (2v)² = 8v
    tf.dispose([value, ...Object.values(grads), v, init]);
    expect(tf.memory().numTensors).toBe(tensors);
    await setBackend('wasm');
  });
});
