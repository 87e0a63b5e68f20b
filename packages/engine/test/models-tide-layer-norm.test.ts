/**
 * TiDE's layer norm is one op with a closed-form backward; it must give what differentiating the
 * shared layer norm gives (nn/layer-norm.ts): output and gradients of x, γ and β, also over a
 * rank-3 input and over a size-1 axis (TiDE's temporal decoder with one output).
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { createLayerNorm } from '../src/nn/layer-norm.js';
import { createParamStore } from '../src/nn/params.js';
import { createTideLayerNorm } from '../src/models/tide/layer-norm.js';

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

/** Output and gradients (x, γ, β) of Σ y·r through a layer norm built by `create`. */
const pass = (create: typeof createLayerNorm, x: tf.Tensor, r: tf.Tensor) => {
  const D = x.shape[x.rank - 1] as number;
  const store = createParamStore('ln-test', 1);
  const norm = create(store, 'norm', D);
  const [gamma, beta] = store.variables as [tf.Variable, tf.Variable];
  tf.tidy(() => {
    gamma.assign(seeded([D], 7, 1) as tf.Tensor1D);
    beta.assign(seeded([D], 8) as tf.Tensor1D);
  });
  const f = (input: tf.Tensor): tf.Scalar => tf.sum(tf.mul(norm.apply(input), r));
  const y = tf.tidy(() => norm.apply(x));
  const { value, grads } = tf.variableGrads(() => f(x), [gamma, beta]);
  const dx = tf.grad(f)(x);
  const out = [y, dx, grads[gamma.name]!, grads[beta.name]!].map((t) => Array.from(t.dataSync()));
  tf.dispose([y, value, dx, ...Object.values(grads)]);
  store.dispose();
  return out;
};

let previous: string | undefined;
beforeAll(() => {
  previous = tf.getBackend() as string | undefined;
});
afterAll(async () => {
  if (previous) await tf.setBackend(previous);
});

describe.each(['cpu', 'wasm'] as const)("TiDE's layer norm on %s", (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });

  it.each([[[32, 6]], [[4, 5, 6]], [[8, 3, 1]]])(
    'matches the shared layer norm over %j: output and gradients of x, γ, β',
    (shape) => {
      const x = seeded(shape, 3, 2);
      const r = seeded(shape, 4);
      const before = tf.memory().numTensors;
      const fused = pass(createTideLayerNorm, x, r);
      const general = pass(createLayerNorm, x, r);
      expect(tf.memory().numTensors).toBe(before);
      fused.forEach((values, k) =>
        values.forEach((v, i) => expect(v).toBeCloseTo(general[k]![i] as number, 4)),
      );
      tf.dispose([x, r]);
    },
  );
});
