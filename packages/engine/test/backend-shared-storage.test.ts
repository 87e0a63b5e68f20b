import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';

beforeAll(async () => {
  await setBackend('wasm');
});

describe('wasm shared-storage kernels', () => {
  it('clone and same-dtype cast share storage, and each handle frees independently', () => {
    const before = tf.memory();
    const buffersBefore = tf.backend().numDataIds();
    const x = tf.tensor1d([1, 2, 3]);
    const copy = tf.clone(x);
    const same = tf.cast(x, 'float32');
    // One wasm buffer behind three tensors: nothing was copied.
    expect(tf.backend().numDataIds() - buffersBefore).toBe(1);
    expect([copy.dataId, same.dataId]).toEqual([x.dataId, x.dataId]);
    x.dispose();
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3]);
    copy.dispose();
    expect(Array.from(same.dataSync())).toEqual([1, 2, 3]);
    same.dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.backend().numDataIds()).toBe(buffersBefore);
  });

  it('a cast to another dtype still converts', () => {
    const x = tf.tensor1d([1.7, -2.2]);
    const i = tf.cast(x, 'int32');
    expect(i.dtype).toBe('int32');
    expect(Array.from(i.dataSync())).toEqual([1, -2]);
    tf.dispose([x, i]);
  });

  it('setting the backend again keeps one replacement (idempotent)', async () => {
    await setBackend('wasm');
    const x = tf.scalar(5);
    const y = tf.clone(x);
    expect(y.dataSync()[0]).toBe(5);
    tf.dispose([x, y]);
  });
});
