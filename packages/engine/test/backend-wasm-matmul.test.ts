import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { disableNativeMatmul, enableNativeMatmul, nativeMatmulStatus } from '../src/native/index.js';

type Case = { a: number[]; b: number[]; transposeA: boolean; transposeB: boolean };

const CASES: Case[] = [
  { a: [5, 7], b: [5, 3], transposeA: true, transposeB: false },
  { a: [5, 7], b: [3, 7], transposeA: false, transposeB: true },
  { a: [7, 5], b: [3, 7], transposeA: true, transposeB: true },
  { a: [2, 7, 5], b: [2, 7, 3], transposeA: true, transposeB: false }, // batched
  { a: [2, 5, 7], b: [3, 7], transposeA: false, transposeB: true }, // b broadcast over a's batch
  { a: [5, 7], b: [7, 3], transposeA: false, transposeB: false }, // untransposed: the original path
];

const productOn = async (
  backend: 'cpu' | 'wasm',
  c: Case,
): Promise<{ shape: number[]; values: number[] }> => {
  await setBackend(backend);
  const fill = (shape: number[], seed: number) =>
    tf.tensor(
      Array.from({ length: shape.reduce((p, d) => p * d, 1) }, (_, i) => Math.sin(seed + i * 0.7)),
      shape,
    );
  const [a, b] = [fill(c.a, 1), fill(c.b, 2)];
  const y = tf.matMul(a, b, c.transposeA, c.transposeB);
  const result = { shape: y.shape, values: Array.from(y.dataSync()) };
  tf.dispose([a, b, y]);
  return result;
};

// The wasm kernel itself is under test: an earlier file of this worker (or the engine's default
// start-up) may have routed matmuls to OpenBLAS, which stays off here and comes back after.
let nativeBefore = false;
beforeAll(() => {
  nativeBefore = nativeMatmulStatus()?.enabled ?? false;
  disableNativeMatmul();
});
afterAll(async () => {
  await setBackend('cpu');
  if (nativeBefore) enableNativeMatmul();
});

describe('wasm BatchMatMul with transposed operands', () => {
  it.each(CASES)(
    'multiplies $a × $b (transposeA $transposeA, transposeB $transposeB) like cpu',
    async (c) => {
      expect(nativeMatmulStatus()?.enabled ?? false).toBe(false);
      const expected = await productOn('cpu', c);
      const before = tf.memory().numTensors;
      const got = await productOn('wasm', c);
      expect(tf.memory().numTensors).toBe(before);
      expect(got.shape).toEqual(expected.shape);
      got.values.forEach((v, i) => expect(v).toBeCloseTo(expected.values[i]!, 5));
    },
  );

  it('hands the product to the backend untransposed, transposing the operand first', async () => {
    await setBackend('wasm');
    const transpose = tf.getKernel(tf.Transpose, 'wasm')!;
    let transposes = 0;
    tf.unregisterKernel(tf.Transpose, 'wasm');
    tf.registerKernel({
      ...transpose,
      kernelFunc: (args) => ((transposes += 1), transpose.kernelFunc(args)),
    });
    try {
      await productOn('wasm', CASES[2]!); // both operands transposed
      expect(transposes).toBe(2);
    } finally {
      tf.unregisterKernel(tf.Transpose, 'wasm');
      tf.registerKernel(transpose);
    }
  });

  // XNNPACK caches its packing of B by tensor id, not shape: one gradient reshaped two ways.
  it('gives the right products when one tensor is B in two shapes', async () => {
    const products = async (backend: 'cpu' | 'wasm'): Promise<number[][]> => {
      await setBackend(backend);
      return tf.tidy(() => {
        const gradient = tf.tensor1d(Array.from({ length: 64 }, (_, i) => Math.cos(i)));
        const x16 = tf.tensor2d(
          Array.from({ length: 48 }, (_, i) => Math.sin(i)),
          [16, 3],
        );
        const x64 = tf.tensor2d(
          Array.from({ length: 320 }, (_, i) => Math.sin(i * 0.3)),
          [64, 5],
        );
        return [
          tf.matMul(x16, tf.reshape(gradient, [16, 4]), true, false),
          tf.matMul(x64, tf.reshape(gradient, [64, 1]), true, false),
        ].map((y) => Array.from(y.dataSync()));
      });
    };
    const expected = await products('cpu');
    const got = await products('wasm');
    got.forEach((values, k) => values.forEach((v, i) => expect(v).toBeCloseTo(expected[k]![i]!, 4)));
  });
});
