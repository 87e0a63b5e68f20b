import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { registerGradients } from '../src/backend/gradients.js';
import { reluBackward, reluBackwardLoop } from '../src/backend/relu-backward-kernel.js';
import { wasmSimd, type WasmSimd } from '../src/backend/simd/wasm-simd.js';
import { denseRelu } from '../src/nn/dense-relu.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Deterministic values with negatives, zeros and a NaN-free spread, `n` long. */
const values = (n: number, seed: number): number[] =>
  Array.from({ length: n }, (_, i) => (i % 7 === 3 ? 0 : Math.sin(seed + i * 1.37) * (1 + (i % 5))));

/** The SIMD kernels of the active wasm backend and a byte offset for each tensor. */
const simdOf = (): WasmSimd => {
  const simd = wasmSimd(tf.backend());
  if (simd === null) throw new Error('SIMD kernels unavailable on this wasm backend');
  return simd;
};
const offsetOf = (simd: WasmSimd, t: tf.Tensor): number => {
  const offset = simd.offset(t);
  if (offset === null) throw new Error('tensor has no heap offset');
  return offset;
};

beforeAll(async () => {
  await registerGradients();
  await setBackend('wasm');
});
afterAll(async () => {
  await setBackend('cpu');
});

describe('WebAssembly SIMD kernels', () => {
  it('are compiled from the current kernels.wat', () => {
    const check = spawnSync('node', ['scripts/build-wasm-kernels.mjs', '--check'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('load over the wasm backend memory', () => {
    expect(wasmSimd(tf.backend())).not.toBeNull();
  });

  // 4k + 3 elements: the vector loop and every step of the scalar tail run.
  it('adam matches the float64 reference to float32 precision, tail included', () => {
    const simd = simdOf();
    const n = 4 * 5 + 3;
    const p = tf.tensor1d(values(n, 1));
    const g = tf.tensor1d(values(n, 2));
    const m = tf.tensor1d(values(n, 3));
    const s = tf.tensor1d(values(n, 4).map(Math.abs));
    const out = tf.zeros([n]);
    const [p0, g0, m0, s0] = [p, g, m, s].map((t) => Array.from(t.dataSync())) as [
      number[],
      number[],
      number[],
      number[],
    ];
    const c = {
      beta1: 0.9,
      beta2: 0.999,
      stepSize: 0.1,
      inverseRoot2: 1 / Math.sqrt(1 - 0.999),
      epsilon: 1e-8,
    };
    const at = (t: tf.Tensor): number => offsetOf(simd, t);
    simd.kernels.adam(at(p), at(g), at(m), at(s), at(out), n, c);
    const [outV, mV, sV] = [out.dataSync(), m.dataSync(), s.dataSync()];
    for (let i = 0; i < n; i++) {
      const mi = c.beta1 * m0[i]! + (1 - c.beta1) * g0[i]!;
      const si = c.beta2 * s0[i]! + (1 - c.beta2) * g0[i]! ** 2;
      const expected = p0[i]! - (c.stepSize * mi) / (Math.sqrt(si) * c.inverseRoot2 + c.epsilon);
      expect(mV[i]).toBeCloseTo(mi, 6);
      expect(sV[i]).toBeCloseTo(si, 6);
      expect(outV[i]).toBeCloseTo(expected, 5);
    }
    tf.dispose([p, g, m, s, out]);
  });

  // 3 rows of 7 columns: one vector and a tail of 3 per row; NaN and -0 in the data.
  it.each([
    { bias: true, relu: true },
    { bias: true, relu: false },
    { bias: false, relu: true },
  ])('biasRelu adds the bias per column and clamps (bias $bias, relu $relu)', ({ bias, relu }) => {
    const simd = simdOf();
    const [rows, cols] = [3, 7];
    const input = values(rows * cols, 5);
    input[4] = Number.NaN;
    input[9] = -0;
    const biasValues = values(cols, 6);
    const c = tf.tensor2d(input, [rows, cols]);
    const b = tf.tensor1d(biasValues);
    simd.kernels.biasRelu(offsetOf(simd, c), bias ? offsetOf(simd, b) : 0, rows, cols, relu);
    const got = Array.from(c.dataSync());
    input.forEach((v, i) => {
      const sum = bias ? Math.fround(Math.fround(v) + Math.fround(biasValues[i % cols]!)) : Math.fround(v);
      const want = relu && sum < 0 ? 0 : sum;
      if (Number.isNaN(want)) expect(got[i]).toBeNaN();
      else expect(Object.is(got[i], want)).toBe(true);
    });
    tf.dispose([c, b]);
  });
});

describe('NflabReluBackward', () => {
  // cols 7 = one vector of 4 and a tail of 3 per row.
  const [rows, cols] = [5, 7];
  const dyValues = values(rows * cols, 11);
  const yValues = values(rows * cols, 12).map((v) => Math.max(v, 0));

  /** dz and the bias gradient computed by hand. */
  const expected = (): { dz: number[]; bias: number[] } => {
    const dz = dyValues.map((d, i) => Math.fround(yValues[i]! > 0 ? d : 0));
    const bias = Array.from({ length: cols }, (_, j) => {
      let sum = 0;
      for (let r = 0; r < rows; r++) sum = Math.fround(sum + dz[r * cols + j]!);
      return sum;
    });
    return { dz, bias };
  };

  it.each(['wasm', 'cpu'] as const)('gives dz and the bias gradient in one pass on %s', async (backend) => {
    await setBackend(backend);
    const dy = tf.tensor2d(dyValues, [rows, cols]);
    const y = tf.tensor2d(yValues, [rows, cols]);
    const [dz, bias] = reluBackward(dy, y);
    const want = expected();
    expect(Array.from(dz.dataSync())).toEqual(want.dz);
    expect(Array.from(bias.dataSync())).toEqual(want.bias);
    tf.dispose([dy, y, dz, bias]);
    await setBackend('wasm');
  });

  it('has a JavaScript loop with the same float32 sums as the SIMD kernel', () => {
    const dz = new Float32Array(rows * cols);
    const bias = new Float32Array(cols);
    reluBackwardLoop(new Float32Array(dyValues), new Float32Array(yValues), dz, bias, cols);
    const want = expected();
    expect(Array.from(dz)).toEqual(want.dz);
    expect(Array.from(bias)).toEqual(want.bias);
  });
});

describe('denseRelu', () => {
  /** Value and gradients of Σ (relu(x W + b) · t) for the fused op or plain tensor ops. */
  const valueAndGrads = (fused: boolean) => {
    const x = tf.tensor2d(values(6 * 5, 1), [6, 5]);
    const w = tf.tensor2d(values(5 * 7, 2), [5, 7]);
    const b = tf.tensor1d(values(7, 3));
    const t = tf.tensor2d(values(6 * 7, 4), [6, 7]);
    const f = (xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor): tf.Scalar => {
      const y = fused
        ? denseRelu(xs as tf.Tensor2D, ws as tf.Tensor2D, bs as tf.Tensor1D)
        : tf.relu(tf.add(tf.matMul(xs as tf.Tensor2D, ws as tf.Tensor2D), bs));
      return tf.sum(tf.mul(y, t));
    };
    const { value, grads } = tf.valueAndGrads(f)([x, w, b]);
    const result = [value, ...grads].map((g) => Array.from(g.dataSync()));
    tf.dispose([x, w, b, t, value, ...grads]);
    return result;
  };

  it.each(['wasm', 'cpu'] as const)(
    'matches matMul + add + relu and their gradients on %s',
    async (backend) => {
      await setBackend(backend);
      const before = tf.memory().numTensors;
      const fused = valueAndGrads(true);
      const reference = valueAndGrads(false);
      expect(tf.memory().numTensors).toBe(before);
      fused.forEach((got, k) => got.forEach((v, i) => expect(v).toBeCloseTo(reference[k]![i]!, 4)));
      await setBackend('wasm');
    },
  );
});
