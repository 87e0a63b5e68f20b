import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { GELU, GELU_TRAIN, geluKernelAvailable, setGeluSlopeKernel } from '../src/backend/gelu-kernel.js';
import { registerGradients } from '../src/backend/gradients.js';
import { gelu } from '../src/nn/activations.js';

/** Φ(x) in float64: erf's Maclaurin series (|x| ≤ 6, ~1e-9 after cancellation), 0 or 1 beyond. */
const normalCdf = (x: number): number => {
  if (x > 6) return 1;
  if (x < -6) return 0;
  const z = x / Math.SQRT2;
  let term = z;
  let sum = z;
  for (let n = 1; n < 120; n++) {
    term *= (-z * z) / n;
    sum += term / (2 * n + 1);
  }
  return 0.5 * (1 + (2 / Math.sqrt(Math.PI)) * sum);
};
const density = (x: number): number => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

/** 4k + 3 points over [-9, 9] with 0 among them, so the SIMD loop and every tail step run. */
const POINTS = Array.from({ length: 4 * 150 + 3 }, (_, i) => -9 + (18 * i) / (4 * 150 + 2));

beforeAll(async () => {
  await registerGradients();
  await setBackend('wasm');
});
afterAll(async () => {
  await setBackend('cpu');
});

describe('GELU as one SIMD kernel on wasm', () => {
  it('is what gelu runs on wasm for float32, and not on cpu', async () => {
    const x = tf.tensor1d([0.5, -1]);
    expect(geluKernelAvailable(x)).toBe(true);
    const profile = await tf.profile(() => gelu(x));
    expect(profile.kernels.map((k) => k.name)).toEqual([GELU]);
    tf.dispose([x, profile.result as tf.Tensor]);
    await setBackend('cpu');
    const onCpu = tf.tensor1d([0.5, -1]);
    expect(geluKernelAvailable(onCpu)).toBe(false);
    onCpu.dispose();
    await setBackend('wasm');
  });

  it('computes x·Φ(x) within 5e-7·max(1, |x|) of float64, tails included', () => {
    const x = tf.tensor1d(POINTS);
    const y = gelu(x);
    const got = Array.from(y.dataSync());
    POINTS.forEach((p, i) => {
      expect(Math.abs((got[i] as number) - p * normalCdf(p))).toBeLessThan(5e-7 * Math.max(1, Math.abs(p)));
    });
    tf.dispose([x, y]);
  });

  it('keeps the left tail’s relative precision, where 1 + erf cancels', () => {
    const tail = [-3, -4, -5];
    const x = tf.tensor1d(tail);
    const y = gelu(x);
    Array.from(y.dataSync()).forEach((v, i) => {
      const p = tail[i] as number;
      expect(Math.abs(v / (p * normalCdf(p)) - 1)).toBeLessThan(1e-5);
    });
    tf.dispose([x, y]);
  });

  it('has the gradient dy·(Φ(x) + x·φ(x)) within 1e-6·|dy|·max(1, |x|), and leaks nothing', () => {
    const before = tf.memory().numTensors;
    const dyValues = POINTS.map((_, i) => 0.5 + Math.sin(i));
    const x = tf.tensor1d(POINTS);
    const dy = tf.tensor1d(dyValues);
    const dx = tf.grad((t: tf.Tensor) => gelu(t))(x, dy);
    const got = Array.from(dx.dataSync());
    POINTS.forEach((p, i) => {
      const g = dyValues[i] as number;
      const want = g * (normalCdf(p) + p * density(p));
      expect(Math.abs((got[i] as number) - want)).toBeLessThan(1e-6 * Math.abs(g) * Math.max(1, Math.abs(p)));
    });
    tf.dispose([x, dy, dx]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('agrees with the tensor-op form on cpu to 1e-6 (forward and backward)', async () => {
    const values = POINTS.map((p) => p * 0.7);
    const run = async (backend: 'cpu' | 'wasm') => {
      await setBackend(backend);
      const x = tf.tensor2d(values, [3, values.length / 3]);
      const v = tf.variable(x, true);
      // Σ gelu(x)·x: a gradient through both GELU and its input.
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(gelu(v), v)), [v]);
      const out = { value: value.dataSync()[0] as number, grad: Array.from(grads[v.name]!.dataSync()) };
      tf.dispose([x, v, value, ...Object.values(grads)]);
      return out;
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    expect(Math.abs(wasm.value - cpu.value)).toBeLessThan(1e-6 * Math.abs(cpu.value));
    wasm.grad.forEach((g, i) => expect(Math.abs(g - (cpu.grad[i] as number))).toBeLessThan(1e-5));
  });

  it('while training, saves the slope in the forward: the same bits as the recomputing backward', async () => {
    const dyValues = POINTS.map((_, i) => 0.5 + Math.sin(i));
    const run = async (slope: boolean) => {
      setGeluSlopeKernel(slope);
      const before = tf.memory().numTensors;
      const x = tf.tensor1d(POINTS);
      const dy = tf.tensor1d(dyValues);
      const profile = await tf.profile(() => {
        const { value, grad } = tf.valueAndGrad((t: tf.Tensor) => gelu(t))(x, dy);
        return [value, grad];
      });
      const [value, grad] = profile.result as tf.Tensor[];
      const out = {
        kernels: profile.kernels.map((k) => k.name),
        value: Array.from(value!.dataSync()),
        grad: Array.from(grad!.dataSync()),
      };
      tf.dispose([x, dy, value!, grad!]);
      expect(tf.memory().numTensors).toBe(before);
      return out;
    };
    const recomputing = await run(false);
    const saved = await run(true);
    setGeluSlopeKernel(true);
    expect(saved.kernels).toContain(GELU_TRAIN);
    expect(recomputing.kernels).not.toContain(GELU_TRAIN);
    expect(saved.value).toEqual(recomputing.value);
    expect(saved.grad).toEqual(recomputing.grad);
  });

  it('passes NaN and ±∞ through as the tensor ops do', () => {
    const x = tf.tensor1d([NaN, Infinity, -Infinity, 0]);
    const y = gelu(x);
    const [nan, inf, negInf, zero] = Array.from(y.dataSync());
    expect(nan).toBeNaN();
    expect(inf).toBe(Infinity);
    expect(negInf).toBeNaN(); // -∞·Φ(-∞) = -∞·0, as PyTorch's 0.5·x·(1 + erf)
    expect(zero).toBe(0);
    tf.dispose([x, y]);
  });
});
