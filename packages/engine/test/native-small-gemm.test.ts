/**
 * The batched small-product kernel (native/small-gemm.ts, kernels.wat's batchedGemm) against tfjs'
 * cpu reference kernels: every transpose combination, odd sizes, broadcast batches, the fused
 * path's bias accumulation (beta = 1) and gradients, on the wasm backend with OpenBLAS enabled.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchedSmallGemmActive } from '../src/native/enable.js';
import {
  disableNativeMatmul,
  enableNativeMatmul,
  nativeMatmulStats,
  planGemm,
  setSmallGemmKernelEnabled,
  SMALL_GEMM_MAX_MACS,
} from '../src/native/index.js';
import { productOffsets } from '../src/native/gemm-plan.js';
import { expectAllClose, seededValues, TRANSPOSE_COMBOS } from './native-fixtures.js';

const wasmDist = path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
setWasmPaths(`${wasmDist}/`);

function seeded(shape: readonly number[], seed: number): { shape: number[]; values: Float32Array } {
  return { shape: [...shape], values: seededValues(shape, seed) };
}

type Input = ReturnType<typeof seeded>;
type Computation = (inputs: tf.Tensor[]) => tf.Tensor[];

/** Runs `f` on `backend` (native path on or off) over fresh tensors of `inputs`; returns the outputs' values. */
async function runOn(
  backend: 'cpu' | 'wasm',
  native: boolean,
  inputs: readonly Input[],
  f: Computation,
): Promise<Float32Array[]> {
  disableNativeMatmul();
  expect(await tf.setBackend(backend)).toBe(true);
  if (native) expect(enableNativeMatmul({ threads: 1 }).enabled).toBe(true);
  return tf.tidy(() =>
    f(inputs.map((x) => tf.tensor(x.values, x.shape))).map((t) => (t.dataSync() as Float32Array).slice()),
  );
}

function expectClose(actual: Float32Array[], expected: Float32Array[]): void {
  // float32 sums of ≤ 17 terms of magnitude ≤ 1, in another order: ~1e-6 apart.
  expectAllClose(actual, expected, 1e-5);
}

/**
 * Expects the wasm backend with the kernel to match tfjs' cpu reference and the wasm backend with
 * one sgemm per product, and the kernel to have served `batched` of the matmul kernel calls.
 */
async function expectKernelMatches(inputs: readonly Input[], f: Computation, batched: number): Promise<void> {
  const reference = await runOn('cpu', false, inputs, f);
  setSmallGemmKernelEnabled(false);
  const perProduct = await runOn('wasm', true, inputs, f);
  setSmallGemmKernelEnabled(true);
  const before = nativeMatmulStats().batched;
  const kernel = await runOn('wasm', true, inputs, f);
  expect(nativeMatmulStats().batched - before).toBe(batched);
  expectClose(kernel, reference);
  expectClose(kernel, perProduct);
}

/** [rows, cols] stored transposed when `t`, after the batch dims. */
const stored = (batch: number[], rows: number, cols: number, t: boolean): number[] => [
  ...batch,
  ...(t ? [cols, rows] : [rows, cols]),
];

describe('planGemm product offsets', () => {
  const plan = (aShape: number[], bShape: number[], transposeA = false) =>
    planGemm({ aShape, bShape, transposeA, transposeB: false });

  it('steps evenly over matching batches and over an operand broadcast whole', () => {
    expect(plan([6, 3, 8], [6, 8, 3])).toMatchObject({
      calls: 6,
      offsets: { kind: 'even', a: 24, b: 24, c: 9 },
    });
    expect(plan([2, 3, 4, 5], [1, 1, 5, 2])).toMatchObject({ calls: 1 }); // folded into one product
    expect(plan([2, 3, 5, 4], [5, 2], true)).toMatchObject({
      calls: 6,
      offsets: { kind: 'even', a: 20, b: 0, c: 8 },
    });
    expect(plan([4, 5], [2, 3, 5, 2])).toMatchObject({
      calls: 6,
      offsets: { kind: 'even', a: 0, b: 10, c: 8 },
    });
  });

  it('lists the offsets of a partial broadcast, whose B offsets repeat', () => {
    const { calls, offsets } = plan([2, 3, 4, 6], [3, 6, 2])!;
    expect(calls).toBe(6);
    expect(offsets).toEqual({
      kind: 'listed',
      a: [0, 24, 48, 72, 96, 120],
      b: [0, 12, 24, 0, 12, 24],
      c: [0, 8, 16, 24, 32, 40],
    });
    expect(productOffsets(offsets, 4)).toEqual([96, 12, 32]);
  });
});

const probe = (() => {
  const status = enableNativeMatmul({ threads: 1 });
  disableNativeMatmul();
  return status;
})();

describe.runIf(probe.enabled)('batched small products on wasm with OpenBLAS', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
  });
  afterAll(async () => {
    setSmallGemmKernelEnabled(true);
    disableNativeMatmul();
    await tf.setBackend('cpu');
  });

  /** [m, n, k] covering vector blocks of 8 and 4 columns, column and k tails, and size 1. */
  const sizes = [
    [1, 1, 1],
    [3, 3, 8],
    [3, 8, 3],
    [5, 7, 9],
    [7, 17, 8],
    [8, 9, 17],
    [9, 5, 1],
    [17, 3, 5],
    [1, 17, 7],
  ] as const;

  it.each(TRANSPOSE_COMBOS)(
    'matches the reference for transposeA=%s transposeB=%s at odd sizes',
    async (ta, tb) => {
      const inputs = sizes.flatMap(([m, n, k], i) => [
        seeded(stored([6], m, k, ta), 10 + i),
        seeded(stored([6], k, n, tb), 30 + i),
      ]);
      await expectKernelMatches(
        inputs,
        (t) => sizes.map((_, i) => tf.matMul(t[2 * i]!, t[2 * i + 1]!, ta, tb)),
        sizes.length,
      );
    },
  );

  it.each(TRANSPOSE_COMBOS)('broadcasts a batchless operand, transposeA=%s transposeB=%s', async (ta, tb) => {
    const [m, n, k] = [5, 7, 3];
    const inputs = [
      seeded(stored([], m, k, ta), 1),
      seeded(stored([4], k, n, tb), 2),
      seeded(stored([2, 3], m, k, ta), 3),
      seeded(stored([1, 1], k, n, tb), 4),
    ];
    // B without a batch folds into one product unless A is transposed.
    await expectKernelMatches(
      inputs,
      (t) => [tf.matMul(t[0]!, t[1]!, ta, tb), tf.matMul(t[2]!, t[3]!, ta, tb)],
      ta ? 2 : 1,
    );
  });

  it('says when a batched matmul would run as one kernel call, for models choosing a formulation', async () => {
    disableNativeMatmul();
    expect(batchedSmallGemmActive(3, 3, 8)).toBe(false); // no OpenBLAS path
    expect(enableNativeMatmul({ threads: 1 }).enabled).toBe(true);
    expect(batchedSmallGemmActive(3, 3, 8)).toBe(true);
    expect(batchedSmallGemmActive(SMALL_GEMM_MAX_MACS + 1, 1, 1)).toBe(false);
    setSmallGemmKernelEnabled(false);
    expect(batchedSmallGemmActive(3, 3, 8)).toBe(false);
    setSmallGemmKernelEnabled(true);
    await tf.setBackend('cpu');
    expect(batchedSmallGemmActive(3, 3, 8)).toBe(false); // the kernel lives in the wasm heap
    await tf.setBackend('wasm');
  });

  it('leaves partial batch broadcasts, whose offsets step unevenly, to sgemm', async () => {
    const inputs = [seeded([2, 3, 4, 6], 5), seeded([3, 6, 2], 6)];
    await expectKernelMatches(inputs, (t) => [tf.matMul(t[0]!, t[1]!)], 0);
  });

  it('leaves products above the cut-off to sgemm', async () => {
    const side = Math.ceil(Math.cbrt(SMALL_GEMM_MAX_MACS + 1));
    const inputs = [seeded([3, side, side], 7), seeded([3, side, side], 8)];
    await expectKernelMatches(inputs, (t) => [tf.matMul(t[0]!, t[1]!)], 0);
  });

  it('adds the product onto the bias a fused matmul writes first (beta = 1)', async () => {
    // elu has no SIMD epilogue, so the bias is filled into C and accumulated by the product.
    const inputs = [seeded([4, 3, 8], 9), seeded([4, 8, 5], 10), seeded([5], 11), seeded([4, 8, 7], 12)];
    const f: Computation = (t) => [
      tf.fused.matMul({ a: t[0]! as tf.Tensor3D, b: t[1]! as tf.Tensor3D, bias: t[2]!, activation: 'elu' }),
      tf.fused.matMul({
        a: t[3]! as tf.Tensor3D,
        b: t[1]! as tf.Tensor3D,
        transposeA: true,
        bias: t[2]!,
        activation: 'linear',
      }),
    ];
    await expectKernelMatches(inputs, f, 2);
  });

  it('gives the reference gradients of an attention-shaped product chain', async () => {
    // [B·H, L, E] queries and keys, [B·H, S, E] values: scores q·kᵀ, then weights·v.
    const inputs = [seeded([12, 3, 8], 13), seeded([12, 3, 8], 14), seeded([12, 3, 8], 15)];
    const loss = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor): tf.Tensor =>
      tf.sum(tf.square(tf.matMul(tf.softmax(tf.matMul(q, k, false, true)), v)));
    const f: Computation = (t) => tf.grads(loss)(t);
    // Forward 2; backward: dq (NN), dk (TN), dweights (NT), dv (TN).
    await expectKernelMatches(inputs, f, 6);
  });

  it("gives the reference gradients at VanillaTransformer's attention size (blocked tiles, A·Bᵀ via scratch)", async () => {
    // [B·H, 24, 32]: 24×24×32 scores and 24×32×24 mixes, whose A·Bᵀ transposes B into scratch.
    const inputs = [seeded([6, 24, 32], 16), seeded([6, 24, 32], 17), seeded([6, 24, 32], 18)];
    const loss = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor): tf.Tensor =>
      tf.sum(tf.square(tf.matMul(tf.softmax(tf.matMul(q, k, false, true)), v)));
    const f: Computation = (t) => [tf.matMul(t[0]!, t[1]!, false, true), ...tf.grads(loss)(t)];
    await expectKernelMatches(inputs, f, 7);
  });
});
