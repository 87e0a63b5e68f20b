import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '@nflab/contracts';
import {
  causalMaskBias,
  createAttentionLayer,
  createForwardContext,
  createParamStore,
  fullAttention,
  scaledDotProductAttention,
} from '../src/nn/index.js';
import { useCpu } from './models-fixtures.js';

beforeAll(useCpu);

const evalCtx = createForwardContext({ training: false }, new Rng(1));

function randomTensor(rng: Rng, shape: [number, number, number, number]): tf.Tensor4D {
  const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal());
  return tf.tensor4d(values, shape);
}

/** softmax(scale·q·kᵀ + mask)·v per (b, h), written out with loops over [B, L, H, E] arrays. */
function referenceAttention(
  q: number[][][][],
  k: number[][][][],
  v: number[][][][],
  causal: boolean,
): { values: number[][][][]; weights: number[][][][] } {
  const B = q.length;
  const L = q[0]!.length;
  const H = q[0]![0]!.length;
  const E = q[0]![0]![0]!.length;
  const S = k[0]!.length;
  const D = v[0]![0]![0]!.length;
  const scale = 1 / Math.sqrt(E);
  const values = q.map(() =>
    Array.from({ length: L }, () => Array.from({ length: H }, () => new Array<number>(D).fill(0))),
  );
  const weights = q.map(() =>
    Array.from({ length: H }, () => Array.from({ length: L }, () => new Array<number>(S).fill(0))),
  );
  for (let b = 0; b < B; b += 1)
    for (let h = 0; h < H; h += 1)
      for (let l = 0; l < L; l += 1) {
        const scores = Array.from({ length: S }, (_, s) => {
          if (causal && s > l) return -Infinity;
          let dot = 0;
          for (let e = 0; e < E; e += 1) dot += q[b]![l]![h]![e]! * k[b]![s]![h]![e]!;
          return dot * scale;
        });
        const top = Math.max(...scores);
        const exps = scores.map((x) => Math.exp(x - top));
        const total = exps.reduce((a, x) => a + x, 0);
        for (let s = 0; s < S; s += 1) {
          const w = exps[s]! / total;
          weights[b]![h]![l]![s] = w;
          for (let d = 0; d < D; d += 1) values[b]![l]![h]![d]! += w * v[b]![s]![h]![d]!;
        }
      }
  return { values, weights };
}

describe('scaledDotProductAttention', () => {
  it.each([false, true])('matches a loop-by-loop reference (causal=%s)', (causal) => {
    const rng = new Rng(7);
    const q = randomTensor(rng, [2, 5, 3, 4]);
    const k = randomTensor(rng, [2, 5, 3, 4]);
    const v = randomTensor(rng, [2, 5, 3, 6]);
    const out = scaledDotProductAttention(
      q,
      k,
      v,
      { dropout: 0.5, mask: causal ? { kind: 'causal' } : { kind: 'none' } },
      evalCtx,
    );
    const want = referenceAttention(q.arraySync(), k.arraySync(), v.arraySync(), causal);
    expect(out.values.shape).toEqual([2, 5, 3, 6]);
    expect(out.weights.shape).toEqual([2, 3, 5, 5]);
    const close = (got: number[], expected: number[]): void =>
      expect(got).toEqual(expected.map((x) => expect.closeTo(x, 5)));
    close(Array.from(out.values.dataSync()), want.values.flat(3));
    close(Array.from(out.weights.dataSync()), want.weights.flat(3));
    if (causal) expect(out.weights.arraySync()[1]![2]![0]![4]).toBe(0);
    tf.dispose([q, k, v, out.values, out.weights]);
  });

  it('attends over a different number of keys than queries (cross-attention)', () => {
    const rng = new Rng(3);
    const q = randomTensor(rng, [1, 2, 2, 4]);
    const k = randomTensor(rng, [1, 7, 2, 4]);
    const v = randomTensor(rng, [1, 7, 2, 4]);
    const out = scaledDotProductAttention(q, k, v, { dropout: 0 }, evalCtx);
    expect(out.weights.shape).toEqual([1, 2, 2, 7]);
    const rowSums = tf.sum(out.weights, -1);
    expect(Array.from(rowSums.dataSync())).toEqual([1, 1, 1, 1].map((x) => expect.closeTo(x, 5)));
    expect(() =>
      scaledDotProductAttention(q, k, v, { dropout: 0, mask: { kind: 'causal' } }, evalCtx),
    ).toThrow(/causal attention mask needs as many queries as keys \(got 2 and 7\)/);
    tf.dispose([q, k, v, out.values, out.weights, rowSums]);
  });

  it('drops attention weights while training, with a seeded mask, and not at inference', () => {
    const rng = new Rng(5);
    const q = randomTensor(rng, [2, 4, 2, 4]);
    const train = (seed: number): Float32Array => {
      const ctx = createForwardContext({ training: true, seed }, new Rng(1));
      const out = scaledDotProductAttention(q, q, q, { dropout: 0.5 }, ctx);
      const values = out.values.dataSync() as Float32Array;
      tf.dispose([out.values, out.weights]);
      return values;
    };
    const inference = scaledDotProductAttention(q, q, q, { dropout: 0.5 }, evalCtx);
    expect(train(11)).toEqual(train(11));
    expect(train(11)).not.toEqual(train(12));
    expect(train(11)).not.toEqual(inference.values.dataSync());
    tf.dispose([q, inference.values, inference.weights]);
  });

  it('lets gradients through to queries, keys and values', () => {
    const rng = new Rng(9);
    const q = randomTensor(rng, [1, 3, 2, 2]);
    const k = randomTensor(rng, [1, 3, 2, 2]);
    const v = randomTensor(rng, [1, 3, 2, 2]);
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
      tf.sum(
        scaledDotProductAttention(
          a as tf.Tensor4D,
          b as tf.Tensor4D,
          c as tf.Tensor4D,
          { dropout: 0, mask: { kind: 'causal' } },
          evalCtx,
        ).values,
      ),
    )([q, k, v]);
    for (const g of grads) {
      const values = Array.from(g.dataSync());
      expect(values.every(Number.isFinite)).toBe(true);
      expect(values.some((x) => x !== 0)).toBe(true);
    }
    tf.dispose([q, k, v, ...grads]);
  });
});

describe('causalMaskBias', () => {
  it('masks exactly the keys after each query', () => {
    const bias = causalMaskBias(3);
    expect(bias.arraySync()).toEqual([
      [0, -1e9, -1e9],
      [0, 0, -1e9],
      [0, 0, 0],
    ]);
    bias.dispose();
  });
});

describe('createAttentionLayer', () => {
  it('projects, attends per head and projects back, with NeuralForecast parameter names and counts', () => {
    const store = createParamStore('t', 1);
    const layer = createAttentionLayer(
      store,
      { path: 'encoder/layers_0/attention', hiddenSize: 8, nHeads: 2 },
      fullAttention({ causal: false, dropout: 0 }),
    );
    expect(store.variables.map((v) => v.name.split('/').slice(-2).join('/'))).toEqual([
      'query_projection/kernel',
      'query_projection/bias',
      'key_projection/kernel',
      'key_projection/bias',
      'value_projection/kernel',
      'value_projection/bias',
      'out_projection/kernel',
      'out_projection/bias',
    ]);
    const rng = new Rng(2);
    const x = tf.tensor3d(
      Float32Array.from({ length: 2 * 5 * 8 }, () => rng.normal()),
      [2, 5, 8],
    );
    const before = tf.memory().numTensors;
    const { output, weights } = layer.apply(x, x, x, evalCtx);
    expect(output.shape).toEqual([2, 5, 8]);
    expect(weights?.shape).toEqual([2, 2, 5, 5]);
    tf.dispose([output, weights]);
    expect(tf.memory().numTensors).toBe(before);
    // Inside a caller's tidy (a network forward), the weights it does not return are freed with it.
    const kept = tf.tidy(() => layer.apply(x, x, x, evalCtx).output);
    expect(tf.memory().numTensors).toBe(before + 1);
    kept.dispose();
    x.dispose();
    store.dispose();
  });
});
