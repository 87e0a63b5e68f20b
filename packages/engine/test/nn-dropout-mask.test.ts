/**
 * The dropout mask kernel (nn/dropout-mask.ts): the lab's seeded stream thresholded at rate·2^32,
 * the same values on cpu, wasm and the JavaScript fallback, and a gradient that is the mask.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { describe, expect, it } from 'vitest';
import { Rng } from '@nflab/contracts';
import { setBackend } from '../src/backend/backend.js';
import { DROPOUT_MASK, dropoutMask, fillDropoutMask, setWasmDropoutMask } from '../src/nn/dropout-mask.js';
import { dropout } from '../src/nn/dropout.js';
import { createForwardContext } from '../src/nn/forward-context.js';

/** The mask written out from the generator's definition, one nextUint32 per element. */
const reference = (n: number, rate: number, seed: number): number[] => {
  const rng = new Rng(seed);
  const scale = Math.fround(1 / (1 - rate));
  return Array.from({ length: n }, () => (rng.nextUint32() / 2 ** 32 >= rate ? scale : 0));
};

describe.each(['cpu', 'wasm'] as const)('dropout masks on %s', (backend) => {
  it.each([
    { shape: [7, 5, 3], rate: 0.5, seed: 9 },
    { shape: [1000], rate: 0.1, seed: 123456789 },
    { shape: [3, 333], rate: 0.9, seed: 2 ** 32 - 1 },
  ])(
    'keeps u ≥ $rate of the seeded stream, scaled by 1/(1-rate), for $shape',
    async ({ shape, rate, seed }) => {
      await setBackend(backend);
      const mask = dropoutMask(shape, rate, seed);
      expect(tf.getKernel(DROPOUT_MASK, backend)).toBeDefined(); // the kernel ran, not the fallback
      expect(mask.shape).toEqual(shape);
      const n = shape.reduce((p, d) => p * d, 1);
      expect(Array.from(mask.dataSync())).toEqual(reference(n, rate, seed));
      mask.dispose();
    },
  );

  it('gives each call its own mask across sizes, nothing carried from one call into the next', async () => {
    await setBackend(backend);
    const big = dropoutMask([5000], 0.5, 1);
    const small = dropoutMask([10], 0.5, 2);
    const again = dropoutMask([5000], 0.5, 1);
    expect(Array.from(small.dataSync())).toEqual(reference(10, 0.5, 2));
    expect(Array.from(again.dataSync())).toEqual(Array.from(big.dataSync()));
    const kept = Array.from(big.dataSync()).filter((v) => v > 0).length / 5000;
    expect(kept).toBeGreaterThan(0.47);
    expect(kept).toBeLessThan(0.53);
    tf.dispose([big, small, again]);
  });

  it('dropout is x times the mask, its gradient the mask, and zeros at rate 1', async () => {
    await setBackend(backend);
    const x = tf.tensor2d([
      [1, -2, 3, 4],
      [0.5, 6, -7, 8],
    ]);
    const training = (): ReturnType<typeof createForwardContext> =>
      createForwardContext({ training: true, seed: 5 }, new Rng(1));
    const seed = training().nextSeed(); // the seed the first dropout call of this pass draws
    const mask = Array.from(dropoutMask([2, 4], 0.25, seed).dataSync());
    expect(new Set(mask)).toEqual(new Set([0, Math.fround(1 / 0.75)]));
    const y = dropout(x, 0.25, training());
    const xs = Array.from(x.dataSync());
    expect(Array.from(y.dataSync())).toEqual(xs.map((v, i) => Math.fround(v * mask[i]!)));
    const ctx = training();
    const grad = tf.grad((t: tf.Tensor) => tf.sum(dropout(t, 0.25, ctx)))(x);
    expect(Array.from(grad.dataSync())).toEqual(mask);
    const none = dropout(x, 1, training());
    expect(Array.from(none.dataSync())).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    tf.dispose([x, y, grad, none]);
  });
});

it('the JavaScript fallback writes the same values as the kernels', () => {
  const out = new Float32Array(777);
  fillDropoutMask(out, 0.3, 42);
  expect(Array.from(out)).toEqual(reference(777, 0.3, 42));
});

it('writes bit for bit what the former draw-into-scratch-then-threshold loop wrote', () => {
  // The former fillDropoutMask: every seeded result (training losses, saved runs) depends on it.
  const former = (out: Float32Array, rate: number, seed: number): void => {
    const draws = new Uint32Array(out.length);
    new Rng(seed).fillUint32(draws);
    const threshold = rate * 2 ** 32;
    const scale = 1 / (1 - rate);
    for (let i = 0; i < out.length; i++) out[i] = scale * Number(draws[i]! >= threshold);
  };
  for (const [n, rate, seed] of [
    [1, 0.5, 0],
    [17, 0, 3],
    [4096, 0.1, 42],
    [9999, 0.3, 2 ** 31 + 5],
    [123457, 0.9, 7],
    [50_000, 0.05, 2 ** 32 - 1],
  ] as const) {
    const [want, got] = [new Float32Array(n), new Float32Array(n)];
    former(want, rate, seed);
    fillDropoutMask(got, rate, seed);
    expect(new Uint8Array(got.buffer)).toEqual(new Uint8Array(want.buffer));
  }
});

it('on wasm the SIMD module writes bit for bit the JavaScript loop’s masks', async () => {
  await setBackend('wasm');
  for (const [n, rate, seed] of [
    [1, 0.5, 0],
    [3_145_728, 0.05, 11], // one VanillaTransformer activation
    [4099, 0.25, 2 ** 31 + 5], // a threshold of exactly 2^30
    [50_000, 0.1, 7], // rate·2^32 not an integer
    [777, 0.999_999, 3],
  ] as const) {
    const masks = [true, false].map((on) => {
      setWasmDropoutMask(on);
      const mask = dropoutMask([n], rate, seed);
      const bits = new Uint32Array(mask.dataSync().buffer.slice(0));
      mask.dispose();
      return bits;
    });
    setWasmDropoutMask(true);
    const [simd, js] = masks as [Uint32Array, Uint32Array];
    expect(simd.length).toBe(n);
    // The first differing element, or -1 (a deep comparison of millions of values is slow).
    expect(js.findIndex((bits, i) => bits !== simd[i])).toBe(-1);
  }
});
