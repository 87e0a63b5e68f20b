import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { registerGradients } from '../src/backend/gradients.js';
import { heapOffsets, registerOnce } from '../src/backend/wasm-kernel.js';

beforeAll(async () => {
  await registerGradients();
  await setBackend('wasm');
});
afterAll(async () => {
  await setBackend('cpu');
});

describe('custom kernels’ shared plumbing', () => {
  it('gives the byte offsets of float32 wasm tensors, distinct and 4-aligned, and names the kernel otherwise', () => {
    const [a, b] = [tf.tensor1d([1, 2, 3]), tf.tensor1d([4, 5])];
    const ints = tf.tensor1d([1, 2], 'int32');
    const offsets = heapOffsets(tf.backend(), [a, b] as TensorInfo[], 'Probe');
    expect(offsets).toHaveLength(2);
    expect(new Set(offsets).size).toBe(2);
    for (const o of offsets) expect(o % 4).toBe(0);
    expect(() => heapOffsets(tf.backend(), [a, ints] as TensorInfo[], 'Probe')).toThrow(
      'Probe: inputs must be float32 wasm tensors',
    );
    tf.dispose([a, b, ints]);
  });

  it('registers a kernel set and its gradient on the first call only', () => {
    let calls = 0;
    const name = 'NflabTestDouble';
    const double: KernelFunc = ({ inputs }) => {
      calls++;
      return tf.mul(inputs.x as tf.Tensor, 2) as unknown as TensorInfo;
    };
    const register = registerOnce({
      kernels: { [name]: double },
      gradients: [{ kernelName: name, gradFunc: (dy) => ({ x: () => tf.mul(dy as tf.Tensor, 2) }) }],
    });
    expect(tf.getKernel(name, 'wasm')).toBeUndefined();
    register();
    register();
    expect(tf.getKernel(name, 'wasm')?.kernelFunc).toBe(double);
    expect(tf.getKernel(name, 'cpu')).toBeUndefined();
    const x = tf.tensor1d([1, 3]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.engine().runKernel(name, { x: v }) as tf.Tensor))(x);
    expect(Array.from(g.dataSync())).toEqual([2, 2]);
    expect(calls).toBe(1);
    tf.unregisterKernel(name, 'wasm');
    tf.unregisterGradient(name);
    tf.dispose([x, g]);
  });
});
