import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODELS } from '../src/models/registry.js';
import { createJacobiKan, createTaylorKan, jacobiRecurrence } from '../src/models/rmok/polynomial-kan.js';
import { createWaveKan, hammingWindow, motherWavelet, WAVELETS } from '../src/models/rmok/wave-kan.js';
import { createForwardContext } from '../src/nn/forward-context.js';
import { createParamStore, logicalName } from '../src/nn/params.js';
import { useCpu } from './models-fixtures.js';

beforeAll(useCpu);

const close = (values: readonly number[], digits = 5) => values.map((v) => expect.closeTo(v, digits));
const variable = (store: { variables: tf.Variable[] }, suffix: string): tf.Variable => {
  const found = store.variables.find((v) => logicalName(v).endsWith(suffix));
  if (!found) throw new Error(`no variable ${suffix}`);
  return found;
};

describe("RMoK's polynomial KAN experts", () => {
  it('Taylor: Σ_i Σ_k c[i,k]·x_iᵏ + b, with x⁰ = 1 even at x = 0', () => {
    const store = createParamStore('test', 1);
    const layer = createTaylorKan(store, { path: 't', inFeatures: 2, outFeatures: 1, order: 3 });
    // coeffs [in=2, order=3, out=1]: input 0 -> 1 + 2x + 3x², input 1 -> −1 + 0x + 0.5x²; bias 0.25.
    variable(store, 't/coeffs/weight').assign(tf.tensor3d([1, 2, 3, -1, 0, 0.5], [2, 3, 1]));
    variable(store, 't/bias').assign(tf.tensor1d([0.25]));
    const x = tf.tensor2d([2, -2, 0, 0], [2, 2]);
    const y = layer.apply(x);
    expect(Array.from(y.dataSync())).toEqual(close([1 + 4 + 12 + (-1 + 2) + 0.25, 1 - 1 + 0.25]));
    tf.dispose([x, y]);
    store.dispose();
  });

  it('Jacobi: P_n^(1,1)(tanh x), P_1 = 2t, P_2 = (15t² − 3)/4 (P_n(1) = C(n+1, n))', () => {
    expect(jacobiRecurrence(2, 1, 1)).toEqual({ A: 1.875, B: 0, C: 0.75 });
    const store = createParamStore('test', 1);
    const layer = createJacobiKan(store, { path: 'j', inFeatures: 1, outFeatures: 3, degree: 2 });
    // coeffs [in=1, degree+1=3, out=3]: output d reads P_d alone.
    variable(store, 'j/coeffs/weight').assign(tf.tensor3d([1, 0, 0, 0, 1, 0, 0, 0, 1], [1, 3, 3]));
    const x = tf.tensor2d([0.5, 30], [2, 1]);
    const y = layer.apply(x);
    const t = Math.tanh(0.5);
    // tanh(30) rounds to 1 in float32: P_2(1) = C(3, 2) = 3.
    expect(Array.from(y.dataSync())).toEqual(close([1, 2 * t, (15 * t * t - 3) / 4, 1, 2, 3], 4));
    tf.dispose([x, y]);
    store.dispose();
  });
});

describe("RMoK's wavelet KAN expert", () => {
  const at = (values: number[], kind: (typeof WAVELETS)[number]): number[] =>
    tf.tidy(() => Array.from(motherWavelet(tf.tensor1d(values), kind).dataSync()));

  it('evaluates the five mother wavelets at hand-computed points', () => {
    const c = 2 / (Math.sqrt(3) * Math.PI ** 0.25);
    expect(at([0, 1, 2], 'mexican_hat')).toEqual(close([-c, 0, 3 * c * Math.exp(-2)]));
    expect(at([0, Math.PI / 10], 'morlet')).toEqual(close([1, 0]));
    expect(at([0, 1], 'dog')).toEqual(close([0, -Math.exp(-0.5)]));
    // ν(2·0.75 − 1) = ν(0.5) = 0.5, so ψ(0.75) = sin(0.75π)·cos(π/4) = 0.5; 0 from |u| ≥ 1.
    expect(at([0.25, -0.75, 1.5], 'meyer')).toEqual(close([Math.SQRT1_2, 0.5, 0]));
    // A Hamming window over 2 inputs is [0.08, 0.08]; sinc(π/2 / π) = 2/π.
    expect(at([0, Math.PI / 2], 'shannon')).toEqual(close([0.08, 0.08 * (2 / Math.PI)]));
    expect(Array.from(hammingWindow(3))).toEqual(close([0.08, 1, 0.08]));
  });

  it('has finite gradients everywhere, Shannon at u = 0 included', () => {
    for (const kind of WAVELETS) {
      const g = tf.tidy(() =>
        Array.from(
          tf
            .grad((u: tf.Tensor) => tf.sum(motherWavelet(u, kind)))(tf.tensor1d([0, 0.5, 2]))
            .dataSync(),
        ),
      );
      expect(g.every(Number.isFinite), kind).toBe(true);
    }
  });

  it('sums w·ψ((x − t)/s) over the inputs, then batch-normalises (running statistics at inference)', () => {
    const store = createParamStore('test', 1);
    const layer = createWaveKan(store, { path: 'w', inFeatures: 2, outFeatures: 1, wavelet: 'dog' });
    variable(store, 'w/scale/weight').assign(tf.tensor2d([[2, 1]]));
    variable(store, 'w/translation/weight').assign(tf.tensor2d([[1, 0]]));
    variable(store, 'w/wavelet_weights/weight').assign(tf.tensor2d([[1, -2]]));
    const x = tf.tensor2d([[3, 1]]);
    const y = layer.apply(x, createForwardContext({ training: false }, store.rng));
    const dog = (u: number) => -u * Math.exp(-0.5 * u * u);
    expect(Array.from(y.dataSync())).toEqual(close([(dog(1) - 2 * dog(1)) / Math.sqrt(1 + 1e-5)]));
    tf.dispose([x, y]);
    store.dispose();
  });
});

describe('RMoK', () => {
  it('mixes the experts by the gate: a gate that picks the linear expert gives RevIN⁻¹(linear(RevIN(x)))', () => {
    const spec = MODELS.rmok;
    const dims = {
      h: 2,
      inputSize: 3,
      nOutputs: 1,
      nSeries: 2,
      futrExogSize: 0,
      histExogSize: 0,
      statExogSize: 0,
    };
    const net = spec.build(spec.configSchema.parse({ n_series: 2, revin_affine: false }), dims, 1);
    const get = (name: string) => net.variables.find((v) => logicalName(v) === `rmok/${name}`) as tf.Variable;
    get('gate/kernel').assign(tf.zeros([3, 4]));
    get('gate/bias').assign(tf.tensor1d([0, 0, 0, 40])); // softmax ≈ [0, 0, 0, 1]
    get('linear/kernel').assign(tf.tensor2d([1, 0, 0, 0, 0, 1], [3, 2])); // step 0 reads t=0, step 1 reads t=2
    get('linear/bias').assign(tf.tensor1d([0, 1]));
    // Two series over 3 steps: (1, 2, 3) and (10, 10, 40).
    const y = tf.tensor3d([1, 10, 2, 10, 3, 40], [1, 3, 2]);
    const out = net.forward({ insampleY: y, insampleMask: tf.onesLike(y) }, { training: false });
    expect(out.shape).toEqual([1, 2, 2, 1]);
    const expected = [
      [1, 2, 3],
      [10, 10, 40],
    ].map((s) => {
      const mean = (s[0]! + s[1]! + s[2]!) / 3;
      const sd = Math.sqrt(s.reduce((a, v) => a + (v - mean) ** 2, 0) / 3 + 1e-5);
      const z = s.map((v) => (v - mean) / sd);
      return [z[0]! * sd + mean, (z[2]! + 1) * sd + mean];
    });
    // [B, H, N, K]: step-major, then series.
    const want = [expected[0]![0]!, expected[1]![0]!, expected[0]![1]!, expected[1]![1]!];
    expect(Array.from(out.dataSync())).toEqual(close(want, 3));
    tf.dispose([y, out]);
    net.dispose();
  });
});
