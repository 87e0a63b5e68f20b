import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { registerGradients } from '../src/backend/gradients.js';
import {
  LAYER_NORM,
  layerNormKernel,
  layerNormKernelAvailable,
  setLayerNormKernelEnabled,
} from '../src/backend/layer-norm-kernel.js';
import type { UnivariateModelSpec } from '../src/model/types.js';
import { MODELS } from '../src/models/registry.js';
import { createLayerNorm } from '../src/nn/layer-norm.js';
import { createParamStore } from '../src/nn/params.js';
import { Rng } from '@nflab/contracts';

/** The composition layer-norm.ts runs on other backends: moments, biased variance, eps inside √. */
const composed = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor, eps: number): tf.Tensor => {
  const { mean, variance } = tf.moments(x, x.rank - 1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), g), b);
};

type Norm = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor, eps: number) => tf.Tensor;

/** Output and the three gradients of Σ y·w, w a fixed random upstream gradient. */
const outputAndGrads = (norm: Norm, values: Float32Array[], shape: number[], eps: number): Float32Array[] => {
  const d = shape[shape.length - 1] as number;
  const [xv, gv, bv, wv] = values as [Float32Array, Float32Array, Float32Array, Float32Array];
  return tf.tidy(() => {
    const [x, g, b, w] = [tf.tensor(xv, shape), tf.tensor1d(gv), tf.tensor1d(bv), tf.tensor(wv, shape)];
    const y = norm(x, g, b, eps);
    const grads = tf.grads((xi, gi, bi) => tf.sum(tf.mul(norm(xi, gi, bi, eps), w)))([x, g, b]);
    expect(grads[1]?.shape).toEqual([d]);
    return [y, ...grads].map((t) => t.dataSync() as Float32Array);
  });
};

const randomValues = (seed: number, shape: number[]): Float32Array[] => {
  const rng = new Rng(seed);
  const n = shape.reduce((p, q) => p * q, 1);
  const d = shape[shape.length - 1] as number;
  const draw = (k: number, scale: number, offset: number) =>
    Float32Array.from({ length: k }, () => offset + scale * (2 * rng.next() - 1));
  return [draw(n, 3, 0.5), draw(d, 1, 1), draw(d, 0.5, 0), draw(n, 1, 0)];
};

/** max |a - b| / (max |b| + tiny): an error relative to the array's scale. */
const relError = (a: Float32Array, b: Float32Array): number => {
  let err = 0;
  let scale = 1e-12;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return err / scale;
};

const SHAPES = [
  [3, 5, 128],
  [7, 1],
  [2, 3],
  [4, 6, 7],
  [5, 13],
  [33, 16],
  [2, 2, 2, 9],
  [300, 4],
];

beforeAll(async () => {
  await registerGradients();
  await setBackend('wasm');
});
afterAll(async () => {
  await setBackend('cpu');
});

describe('layer norm as one SIMD kernel on wasm', () => {
  it('is what createLayerNorm runs on wasm, and not on cpu', async () => {
    const store = createParamStore('test', 1);
    const norm = createLayerNorm(store, 'ln', 6);
    const x = tf.randomNormal([2, 6]);
    expect(layerNormKernelAvailable(x)).toBe(true);
    const profile = await tf.profile(() => norm.apply(x));
    // tf.profile lists tidy scopes among kernels.
    const kernels = profile.kernels.map((k) => k.name).filter((name) => !name.includes('scope'));
    expect(kernels).toEqual([LAYER_NORM]);
    tf.dispose([x, profile.result as tf.Tensor]);
    await setBackend('cpu');
    const onCpu = tf.randomNormal([2, 6]);
    expect(layerNormKernelAvailable(onCpu)).toBe(false);
    onCpu.dispose();
    store.dispose();
    await setBackend('wasm');
  });

  it('matches the composition on wasm and on cpu: output and the x, gain and shift gradients', async () => {
    for (const [i, shape] of SHAPES.entries()) {
      for (const eps of [1e-5, 1e-3]) {
        const values = randomValues(100 + i, shape);
        const kernel = outputAndGrads(layerNormKernel, values, shape, eps);
        const onWasm = outputAndGrads(composed, values, shape, eps);
        await setBackend('cpu');
        const onCpu = outputAndGrads(composed, values, shape, eps);
        await setBackend('wasm');
        for (let k = 0; k < 4; k++) {
          const label = `${['y', 'dx', 'dgain', 'dshift'][k]} of [${shape.join(', ')}], eps ${eps}`;
          expect(relError(kernel[k]!, onWasm[k]!), label).toBeLessThan(1e-5);
          expect(relError(kernel[k]!, onCpu[k]!), label).toBeLessThan(1e-5);
        }
      }
    }
  });

  it('sums the gain and shift gradients over many rows without float32 drift', () => {
    // 40,000 rows of dy = 0.1: float32 running sums drift by ~1e-4 relative; float64 ones do not.
    const rows = 40_000;
    const shape = [rows, 8];
    const [dg, db] = tf.tidy(() => {
      const x = tf.randomNormal(shape, 0, 1, 'float32', 7);
      const [g, b] = [tf.ones([8]), tf.zeros([8])];
      const grads = tf.grads((gi, bi) => tf.mul(tf.sum(layerNormKernel(x, gi, bi, 1e-5)), 0.1))([g, b]);
      return grads.map((t) => t.dataSync());
    });
    for (const v of db!) expect(Math.abs(v - rows * 0.1) / (rows * 0.1)).toBeLessThan(1e-6);
    // Σ_rows xhat over a column is ~√rows·noise, but Σ over columns of each row is exactly 0.
    expect(Math.abs(Array.from(dg!).reduce((s, v) => s + v, 0))).toBeLessThan(1e-2);
  });

  it('refuses a gain or shift whose size is not the last axis', () => {
    const [x, g, b] = [tf.ones([2, 4]), tf.ones([3]), tf.zeros([4])];
    expect(() => layerNormKernel(x, g, b, 1e-5)).toThrow(/gain and shift must be \[4\]/);
    tf.dispose([x, g, b]);
  });

  it('frees what it allocates, with and without a gradient', () => {
    const [x, g, b] = [tf.randomNormal([4, 12]), tf.ones([12]), tf.zeros([12])];
    const before = tf.memory().numTensors;
    tf.dispose(tf.tidy(() => layerNormKernel(x, g, b, 1e-5)));
    tf.dispose(tf.tidy(() => tf.grads((xi) => tf.sum(layerNormKernel(xi, g, b, 1e-5)))([x])));
    tf.dispose(tf.tidy(() => tf.grads((xi, gi) => tf.sum(layerNormKernel(xi, gi, b, 1e-5)))([x, g])));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, g, b]);
  });

  it('leaves a seeded VanillaTransformer training trajectory as the composition gives it', () => {
    // Five SGD steps from the same seeded weights, batches and dropout seeds, kernel on then off.
    const trajectory = (kernel: boolean): number[] => {
      setLayerNormKernelEnabled(kernel);
      const spec = MODELS.vanillatransformer as unknown as UnivariateModelSpec;
      const dims = { h: 4, inputSize: 12, futrExogSize: 0, histExogSize: 0, statExogSize: 0, nOutputs: 1 };
      const network = spec.build(spec.configSchema.parse({ hidden_size: 16, n_head: 2 }), dims, 7);
      const losses: number[] = [];
      for (let step = 0; step < 5; step++) {
        tf.tidy(() => {
          const y = tf.randomNormal([8, 12, 1], 0, 1, 'float32', 10 + step) as tf.Tensor3D;
          const target = tf.randomNormal([8, 4, 1], 0, 1, 'float32', 20 + step);
          const ctx = { training: true, seed: step };
          const { value, grads } = tf.variableGrads(
            () =>
              tf.mean(
                tf.abs(tf.sub(network.forward({ insampleY: y, insampleMask: tf.onesLike(y) }, ctx), target)),
              ) as tf.Scalar,
            [...network.variables],
          );
          for (const v of network.variables) v.assign(tf.sub(v, tf.mul(grads[v.name]!, 0.05)));
          losses.push(value.dataSync()[0]!);
        });
      }
      network.dispose();
      setLayerNormKernelEnabled(true);
      return losses;
    };
    const fused = trajectory(true);
    const composed = trajectory(false);
    expect(new Set(fused).size).toBe(5); // the weights moved
    fused.forEach((loss, i) => expect(Math.abs(loss - composed[i]!) / composed[i]!).toBeLessThan(1e-5));
  });
});
