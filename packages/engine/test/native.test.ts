import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@nflab/contracts';
import {
  disableNativeMatmul,
  enableNativeMatmul,
  nativeMatmulStats,
  nativeMatmulStatus,
  type NativeMatmulStatus,
  planSum,
  withNativeThreads,
} from '../src/native/index.js';
import { expectAllClose, seededValues, TRANSPOSE_COMBOS } from './native-fixtures.js';

const wasmDist = path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
setWasmPaths(`${wasmDist}/`);

function seeded(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(seededValues(shape, seed), shape);
}

/** Runs `f` once on the reference kernels and once natively; returns both results as arrays. */
function bothWays(f: () => tf.Tensor | tf.Tensor[]): { ref: Float32Array[]; nat: Float32Array[] } {
  const run = (): Float32Array[] =>
    tf.tidy(() =>
      [f()]
        .flat()
        .map((t) => t.dataSync() as Float32Array)
        .map((a) => a.slice()),
    );
  disableNativeMatmul();
  const ref = run();
  const status = enableNativeMatmul();
  expect(status.enabled).toBe(true);
  const nat = run();
  return { ref, nat };
}

function expectClose(ref: Float32Array[], nat: Float32Array[]): void {
  // fp32 sums over K <= 64 terms of magnitude <= 1 in different order differ by ~1e-5.
  expectAllClose(nat, ref, 1e-4);
}

const probe: NativeMatmulStatus = (() => {
  const s = enableNativeMatmul();
  disableNativeMatmul();
  return s;
})();

describe('planSum', () => {
  it('leaves out size-1 axes, so [B, L, 1] over axis 1 is one [B, L] matrix, not B of [L, 1]', () => {
    expect(planSum([1024, 24, 1], 1, true)).toEqual({
      outer: 1,
      rows: 1024,
      cols: 24,
      overRows: false,
      outShape: [1024, 1, 1],
    });
    expect(planSum([1, 1024, 288], [0, 1], false)).toEqual({
      outer: 1,
      rows: 1024,
      cols: 288,
      overRows: true,
      outShape: [288],
    });
    expect(planSum([3, 1, 5], 1, true)).toBeNull(); // nothing of size > 1 reduced
    expect(planSum([1, 8], 1, false)).toBeNull(); // a full sum once the size-1 axis is left out
    expect(planSum([2, 3, 4], [0, 2], false)).toBeNull(); // split block
  });
});

describe('enableNativeMatmul switches', () => {
  it('stays off under NFLAB_NATIVE_BLAS=0 and says so', () => {
    process.env.NFLAB_NATIVE_BLAS = '0';
    try {
      const s = enableNativeMatmul();
      expect(s).toMatchObject({ enabled: false, reason: 'disabled by NFLAB_NATIVE_BLAS=0', backends: [] });
      expect(nativeMatmulStatus()).toBeNull();
    } finally {
      delete process.env.NFLAB_NATIVE_BLAS;
    }
  });

  it('rejects an unknown core type and a bad thread count naming the value', () => {
    // @ts-expect-error an invalid name from an untyped caller
    expect(() => enableNativeMatmul({ coreType: 'Prescott' })).toThrow(
      /coreType.*SkylakeX, Haswell.*Prescott/,
    );
    expect(() => enableNativeMatmul({ threads: 0 })).toThrow(ConfigError);
  });
});

describe.runIf(!probe.enabled)('without a usable OpenBLAS', () => {
  it('reports the reason and keeps the reference kernels working', async () => {
    expect(probe.reason).toMatch(/koffi|libopenblas|AVX/);
    expect(probe.library).toBeNull();
    await tf.setBackend('cpu');
    const y = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()[0]);
    expect(y).toBe(11);
  });
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe.runIf(probe.enabled)(`native matmul on ${backend}`, () => {
    beforeAll(async () => {
      expect(await tf.setBackend(backend)).toBe(true);
      await tf.ready();
    });
    afterAll(() => disableNativeMatmul());

    it('lends a fit more BLAS threads for its duration, and takes them back after a failure too', async () => {
      enableNativeMatmul({ threads: 1 });
      const inside = await withNativeThreads(2, async () => nativeMatmulStatus()?.threads);
      expect(inside).toBe(2);
      expect(nativeMatmulStatus()?.threads).toBe(1);
      await expect(
        withNativeThreads(2, async () => {
          throw new Error('fit failed');
        }),
      ).rejects.toThrow('fit failed');
      expect(nativeMatmulStatus()?.threads).toBe(1);
    });

    it('reports library, core type and the backends it overrides', () => {
      const s = enableNativeMatmul({ threads: 1 });
      expect(s).toMatchObject({ enabled: true, reason: 'enabled', threads: 1 });
      expect(s.library).toMatch(/openblas/);
      expect(s.coreType).toMatch(/\S/);
      expect(s.backends).toContain(backend);
    });

    it.each(TRANSPOSE_COMBOS)(
      'matches the reference for transposeA=%s transposeB=%s, 2-D and batched',
      (ta, tb) => {
        const shapeOf = (rows: number, cols: number, t: boolean, batch: number[] = []) => [
          ...batch,
          ...(t ? [cols, rows] : [rows, cols]),
        ];
        const before = nativeMatmulStats().native;
        const { ref, nat } = bothWays(() => [
          tf.matMul(seeded(shapeOf(5, 7, ta), 1), seeded(shapeOf(7, 3, tb), 2), ta, tb),
          tf.matMul(seeded(shapeOf(4, 6, ta, [3]), 3), seeded(shapeOf(6, 2, tb, [3]), 4), ta, tb),
          // B broadcast over A's batch: the folded single-GEMM path when A is not transposed.
          tf.matMul(seeded(shapeOf(4, 6, ta, [2, 3]), 5), seeded(shapeOf(6, 5, tb), 6), ta, tb),
          // Right-aligned broadcast of B's batch [3] over A's [2, 3] (tfjs broadcasts only this way).
          tf.matMul(seeded(shapeOf(4, 6, ta, [2, 3]), 7), seeded(shapeOf(6, 2, tb, [3]), 8), ta, tb),
        ]);
        expectClose(ref, nat);
        expect(nativeMatmulStats().native - before).toBe(4);
      },
    );

    const activations = ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu'] as const;
    type Act = (typeof activations)[number];
    /** The activation through tfjs' own unfused ops, the reference the fused kernel must match. */
    const unfused = (x: tf.Tensor, act: Act, prelu?: tf.Tensor): tf.Tensor =>
      ({
        linear: () => x,
        relu: () => tf.relu(x),
        relu6: () => tf.relu6(x),
        elu: () => tf.elu(x),
        sigmoid: () => tf.sigmoid(x),
        leakyrelu: () => tf.leakyRelu(x, 0.3),
        prelu: () => tf.prelu(x, prelu!),
      })[act]();
    it.each(activations)('matches matMul + bias + %s on reference kernels when fused', (activation) => {
      // The reference is the unfused composition: tfjs-wasm's own _FusedMatMul gets rank-3 inputs
      // and size-1 biases wrong (bias added per batch row), so it cannot serve as the oracle.
      const cases = [
        { a: [2, 6, 5], b: [5, 4], bias: [4], ta: false, tb: false },
        { a: [6, 5], b: [4, 5], bias: [1], ta: false, tb: true },
        { a: [5, 6], b: [5, 4], bias: null, ta: true, tb: false },
      ];
      const inputs = () =>
        cases.map((c, i) => ({
          a: tf.mul(seeded(c.a, 11 + i), 3),
          b: seeded(c.b, 21 + i),
          bias: c.bias ? seeded(c.bias, 31 + i) : undefined,
          prelu: activation === 'prelu' ? seeded([4], 41 + i) : undefined,
          ta: c.ta,
          tb: c.tb,
        }));
      disableNativeMatmul();
      const ref = tf.tidy(() =>
        inputs().map(({ a, b, bias, prelu, ta, tb }) => {
          const z = tf.matMul(a, b, ta, tb);
          return unfused(bias ? tf.add(z, bias) : z, activation, prelu)
            .dataSync()
            .slice() as Float32Array;
        }),
      );
      expect(enableNativeMatmul().enabled).toBe(true);
      const before = nativeMatmulStats().native;
      const nat = tf.tidy(() =>
        inputs().map(({ a, b, bias, prelu, ta, tb }) => {
          const y = tf.fused.matMul({
            a,
            b,
            transposeA: ta,
            transposeB: tb,
            bias,
            activation,
            preluActivationWeights: prelu,
            leakyreluAlpha: 0.3,
          });
          return y.dataSync().slice() as Float32Array;
        }),
      );
      expectClose(ref, nat);
      expect(nativeMatmulStats().native - before).toBe(cases.length);
    });

    it.runIf(backend === 'cpu')(
      'falls back to the reference kernel for a bias it does not broadcast natively',
      () => {
        const before = nativeMatmulStats();
        const { ref, nat } = bothWays(() =>
          // A [M, N] bias is legal for tfjs but not a row vector: the override must defer.
          tf.fused.matMul({
            a: seeded([3, 4], 21),
            b: seeded([4, 2], 22),
            bias: seeded([3, 2], 23),
            activation: 'relu',
          }),
        );
        expectClose(ref, nat);
        expect(nativeMatmulStats().fallback - before.fallback).toBe(1);
      },
    );

    it('reduces a contiguous block of axes with BLAS and defers for split blocks', () => {
      const x = seeded([4, 3, 5], 51);
      const x4 = seeded([2, 3, 4, 5], 52);
      const cases: [tf.Tensor, number | number[], boolean][] = [
        [x, 0, false],
        [x, [0, 1], true],
        [x, -1, false],
        [x, [1, 2], true],
        [x, 1, false],
        [x4, [1, 2], true],
        [x4, 2, false],
        [x, [0, 2], false],
      ];
      const before = nativeMatmulStats();
      const { ref, nat } = bothWays(() => [
        ...cases.map(([t, axis, keepDims]) => tf.sum(t, axis, keepDims)),
        tf.sum(x), // axis null: a full reduction
      ]);
      expectClose(ref, nat);
      const after = nativeMatmulStats();
      expect(after.native - before.native).toBe(7);
      // Axes [0, 2] and the full reduction (the reference run is not counted).
      expect(after.fallback - before.fallback).toBe(2);
      tf.dispose([x, x4]);
    });

    it('plans around axes of size 1: the window scalers [B, L, 1] over axis 1 is one product', () => {
      const windows = seeded([6, 4, 1], 53);
      const stacked = seeded([3, 1, 5], 54);
      const before = nativeMatmulStats();
      const { ref, nat } = bothWays(() => [
        tf.sum(windows, 1, true), // [6, 4, 1] -> [6, 1, 1]
        tf.sum(windows, [1, 2]), // [6, 4, 1] -> [6]
        tf.sum(stacked, 1, true), // only a size-1 axis reduced: a copy, left to the reference
      ]);
      expectClose(ref, nat);
      const after = nativeMatmulStats();
      expect(after.native - before.native).toBe(2);
      expect(after.fallback - before.fallback).toBe(1);
      tf.dispose([windows, stacked]);
    });

    it('gives the reference gradients through a small network and leaks no tensors', () => {
      const w1 = tf.variable(seeded([6, 8], 31));
      const b1 = tf.variable(seeded([8], 32));
      const w2 = tf.variable(seeded([8, 3], 33));
      const x = seeded([5, 6], 34);
      const y = seeded([5, 3], 35);
      const loss = () =>
        tf.tidy(() => {
          const h = tf.fused.matMul({ a: x, b: w1, bias: b1, activation: 'relu' }); // [5, 6] -> [5, 8]
          const out = tf.matMul(h, w2); // [5, 8] -> [5, 3]
          return tf.mean(tf.abs(tf.sub(out, y))) as tf.Scalar;
        });
      const grads = (): tf.Tensor[] => {
        const { value, grads: g } = tf.variableGrads(loss, [w1, b1, w2]);
        return [value, g[w1.name]!, g[b1.name]!, g[w2.name]!];
      };
      const before = tf.memory().numTensors;
      const { ref, nat } = bothWays(grads);
      expect(tf.memory().numTensors).toBe(before);
      expectClose(ref, nat);
      [w1, b1, w2, x, y].forEach((t) => t.dispose());
    });
  });
}
