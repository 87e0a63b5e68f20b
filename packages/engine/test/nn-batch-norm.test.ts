/**
 * Batch norm's training path over the last axis is one op with a closed-form backward; it must
 * give what differentiating the general path gives (the same layer read with the channel axis in
 * the middle of [M, C, 1], which takes the op-by-op path), forward, gradients and running
 * statistics alike.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { setBatchNormPass } from '../src/nn/batch-norm-pass.js';
import { createBatchNorm } from '../src/nn/batch-norm.js';
import { createParamStore } from '../src/nn/params.js';

const training = { training: true, nextSeed: () => 0 };

const seeded = (shape: number[], seed: number, offset = 0): tf.Tensor => {
  let s = seed >>> 0;
  const size = shape.reduce((p, d) => p * d, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return offset + 3 * (s / 2 ** 32 - 0.5);
    }),
    shape,
  );
};

/** Output, gradients (x, γ, β) of Σ y·r and the running statistics after one training pass. */
const pass = (channelsLast: boolean, x: tf.Tensor2D, r: tf.Tensor2D) => {
  const [M, C] = x.shape;
  const store = createParamStore('bn-test', 1);
  const norm = createBatchNorm(store, 'bn', C, channelsLast ? {} : { channelAxis: 1 });
  const [gamma, beta] = store.variables as [tf.Variable, tf.Variable];
  tf.tidy(() => {
    gamma.assign(seeded([C], 7, 1) as tf.Tensor1D);
    beta.assign(seeded([C], 8) as tf.Tensor1D);
  });
  const f = (input: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Scalar => {
    gamma.assign(g as tf.Tensor1D);
    beta.assign(b as tf.Tensor1D);
    const shaped = channelsLast ? input : tf.reshape(input, [M, C, 1]);
    return tf.sum(tf.mul(tf.reshape(norm.apply(shaped, training), [M, C]), r));
  };
  const y = tf.tidy(() => {
    const shaped = channelsLast ? x : tf.reshape(x, [M, C, 1]);
    return tf.reshape(norm.apply(shaped, training), [M, C]);
  });
  // Gradients through the layer's own variables, as the training loop takes them.
  const { value, grads } = tf.variableGrads(() => f(x, gamma.clone(), beta.clone()), [gamma, beta]);
  const dx = tf.grad((input: tf.Tensor) => f(input, gamma.clone(), beta.clone()))(x);
  const out = {
    y: y.arraySync(),
    dx: dx.arraySync(),
    dGamma: grads[gamma.name]!.arraySync(),
    dBeta: grads[beta.name]!.arraySync(),
    runningMean: norm.runningMean.arraySync(),
    runningVar: norm.runningVar.arraySync(),
  };
  tf.dispose([y, value, dx, ...Object.values(grads)]);
  store.dispose();
  return out;
};

const expectClose = (a: unknown, b: unknown): void => {
  const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flat(3) : [v as number]);
  const [fa, fb] = [flat(a), flat(b)];
  expect(fa).toHaveLength(fb.length);
  fa.forEach((value, i) => expect(value).toBeCloseTo(fb[i] as number, 4));
};

let previous: string | undefined;
beforeAll(() => {
  previous = tf.getBackend() as string | undefined;
});
afterAll(async () => {
  if (previous) await tf.setBackend(previous);
});

describe.each(['cpu', 'wasm'] as const)('batch norm training over the last axis on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });

  it('matches the op-by-op path: output, gradients of x, γ and β, running statistics', () => {
    const x = seeded([64, 5], 3, 2) as tf.Tensor2D;
    const r = seeded([64, 5], 4) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const fused = pass(true, x, r);
    const general = pass(false, x, r);
    expect(tf.memory().numTensors).toBe(before);
    for (const key of ['y', 'dx', 'dGamma', 'dBeta', 'runningMean', 'runningVar'] as const) {
      expectClose(fused[key], general[key]);
    }
    // A real gradient: Σ_rows dx is 0 for a batch norm, but not every dx is.
    expect((fused.dx as number[][]).flat().some((v) => Math.abs(v) > 1e-3)).toBe(true);
    tf.dispose([x, r]);
  });

  it('gives exactly the tensor ops’ results with its [C] arithmetic as a loop (batch-norm-pass.ts)', () => {
    const x = seeded([256, 32], 5, 40) as tf.Tensor2D;
    const r = seeded([256, 32], 6) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const passed = pass(true, x, r);
    setBatchNormPass(false);
    const ops = (() => {
      try {
        return pass(true, x, r);
      } finally {
        setBatchNormPass(true);
      }
    })();
    expect(tf.memory().numTensors).toBe(before);
    for (const key of ['y', 'dx', 'dGamma', 'dBeta', 'runningMean', 'runningVar'] as const) {
      expect(passed[key], key).toEqual(ops[key]);
    }
    tf.dispose([x, r]);
  });
});
