/**
 * TFT's blocks by hand (GLU, GRN, the stacked GRNs, variable selection, interpretable attention
 * with its shared value projection) and the network: NeuralForecast's parameter count, what it
 * weighed (interpret), and the initial state the static context gives its encoder.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '@nflab/contracts';
import { MODELS } from '../src/models/registry.js';
import { createInterpretableAttention } from '../src/models/tft/interpretable-attention.js';
import type { TftNetwork } from '../src/models/tft/tft.js';
import { createForwardContext } from '../src/nn/forward-context.js';
import { GATED_NORM_BACKWARD, GATED_NORM_FORWARD } from '../src/nn/gated-add-norm.js';
import { glu } from '../src/nn/glu.js';
import { createGrn, createStackedGrn } from '../src/nn/grn.js';
import { countParameters, createParamStore, logicalName, type ParamStore } from '../src/nn/params.js';
import { createScalarEmbedding, setEmbeddingFolding } from '../src/nn/scalar-embedding.js';
import { createVariableSelection } from '../src/nn/variable-selection.js';
import { dims, disposeBatch, randomBatch, useCpu } from './models-fixtures.js';

beforeAll(useCpu);

const spec = MODELS.tft;
const ctx = createForwardContext({ training: false }, new Rng(1));
const EPS = 1e-3;

/** Sets the store's variable `<model>/<path>` to `values`. */
function set(store: ParamStore, path: string, values: number[] | number[][] | number[][][]): void {
  const variable = store.variables.find((v) => logicalName(v).endsWith(`/${path}`));
  if (!variable) throw new Error(`no variable ${path}`);
  variable.assign(tf.tensor(values.flat(2) as number[], variable.shape));
}

/** Zeroes every variable of the store. */
const zeroAll = (store: ParamStore) => store.variables.forEach((v) => v.assign(tf.zerosLike(v)));

/** Layer norm of a plain vector with TFT's eps (gain 1, shift 0). */
const layerNorm = (x: number[]): number[] => {
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length;
  return x.map((v) => (v - mean) / Math.sqrt(variance + EPS));
};

const expectClose = (got: ArrayLike<number>, want: number[], digits = 5) => {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, digits));
};

describe('GLU', () => {
  it('gates the first half by the sigmoid of the second: glu([1, 2, 0, ln 3]) = [½, 3/2]', () => {
    expectClose(glu(tf.tensor2d([[1, 2, 0, Math.log(3)]])).dataSync(), [0.5, 1.5]);
  });
});

describe('GRN', () => {
  /** A 2-wide GRN with identity lin_a, lin_i, lin_c and a GLU passing x·σ(0) = x/2. */
  function identityGrn(store: ParamStore, context: boolean) {
    const grn = createGrn(store, {
      path: 'g',
      inputSize: 2,
      hiddenSize: 2,
      ...(context ? { contextSize: 2 } : {}),
    });
    zeroAll(store);
    set(store, 'g/layer_norm/weight', [1, 1]);
    set(store, 'g/lin_a/kernel', [
      [1, 0],
      [0, 1],
    ]);
    if (context)
      set(store, 'g/lin_c/kernel', [
        [1, 0],
        [0, 1],
      ]);
    set(store, 'g/lin_i/kernel', [
      [1, 0],
      [0, 1],
    ]);
    set(store, 'g/glu/lin/kernel', [
      [1, 0, 0, 0],
      [0, 1, 0, 0],
    ]);
    return grn;
  }

  it('LayerNorm(GLU(lin_i(ELU(lin_a a))) + a): a = [1, −1] by hand', () => {
    const store = createParamStore('grn', 1);
    const grn = identityGrn(store, false);
    const elu = [1, Math.exp(-1) - 1];
    const want = layerNorm([1 + elu[0]! / 2, -1 + elu[1]! / 2]);
    expectClose(grn.apply(tf.tensor2d([[1, -1]]), ctx).dataSync(), want);
    store.dispose();
  });

  it('adds the context before the activation, on every step of a [B, T, d] input', () => {
    const store = createParamStore('grn', 1);
    const grn = identityGrn(store, true);
    const a = [
      [1, -1],
      [0, 2],
    ];
    const c = [0.5, -2];
    const want = a.flatMap((row) => {
      const pre = row.map((v, j) => v + c[j]!);
      const act = pre.map((v) => (v > 0 ? v : Math.exp(v) - 1));
      return layerNorm(row.map((v, j) => v + act[j]! / 2));
    });
    expectClose(grn.apply(tf.tensor3d([a]), ctx, tf.tensor2d([c])).dataSync(), want);
    store.dispose();
  });

  it('projects the skip and drops the norm for a one-wide output (NeuralForecast’s MaybeLayerNorm)', () => {
    const store = createParamStore('grn', 1);
    const grn = createGrn(store, { path: 'g', inputSize: 2, hiddenSize: 2, outputSize: 1 });
    expect(store.variables.map(logicalName).some((n) => n.includes('layer_norm'))).toBe(false);
    zeroAll(store);
    set(store, 'g/out_proj/kernel', [[2], [3]]);
    set(store, 'g/out_proj/bias', [1]);
    // GLU of zeros is 0; the skip is a·[2, 3] + 1 = 1·2 + 1·3 + 1.
    expectClose(grn.apply(tf.tensor2d([[1, 1]]), ctx).dataSync(), [6]);
    store.dispose();
  });

  it('a stacked GRN computes what n separate GRNs with the same weights compute', () => {
    const stackedStore = createParamStore('stacked', 3);
    const stacked = createStackedGrn(stackedStore, { path: 's', count: 3, hiddenSize: 4, activation: 'ELU' });
    // Non-trivial gains and shifts, then the same weights copied into three plain GRNs.
    set(stackedStore, 's/layer_norm/weight', [[[1, 2, 3, 4]], [[0.5, 1, 1, 1]], [[2, 2, 2, 2]]]);
    set(stackedStore, 's/layer_norm/bias', [[[0, 0.1, 0.2, 0.3]], [[1, 1, 1, 1]], [[-1, 0, 0, 1]]]);
    const x = tf.randomNormal([3, 5, 4], 0, 1, 'float32', 4) as tf.Tensor3D;
    const got = stacked.apply(x, ctx).arraySync();
    const read = (name: string) =>
      stackedStore.variables.find((v) => logicalName(v) === `stacked/s/${name}`)!.arraySync() as number[][][];
    for (let i = 0; i < 3; i++) {
      const store = createParamStore('plain', 1);
      const grn = createGrn(store, { path: 'g', inputSize: 4, hiddenSize: 4 });
      for (const name of ['lin_a/kernel', 'lin_i/kernel', 'glu/lin/kernel'])
        set(store, `g/${name}`, read(name)[i]!);
      for (const name of ['lin_a/bias', 'lin_i/bias', 'glu/lin/bias', 'layer_norm/weight', 'layer_norm/bias'])
        set(store, `g/${name}`, read(name)[i]![0]!);
      const want = grn.apply(tf.reshape(tf.slice(x, [i, 0, 0], [1, 5, 4]), [5, 4]), ctx).dataSync();
      expectClose(got[i]!.flat(), Array.from(want));
      store.dispose();
    }
    // Same parameter count as three GRN(d, d): 3 × (2·(d² + d) + (2d² + 2d) + 2d).
    expect(countParameters(stackedStore.variables)).toBe(3 * (2 * 20 + 40 + 8));
    stackedStore.dispose();
  });
});

describe('variable selection', () => {
  it('weighs each variable’s own GRN output by the softmax of the joint GRN (weights sum to 1)', () => {
    const store = createParamStore('vsn', 1);
    const vsn = createVariableSelection(store, {
      path: 'v',
      hiddenSize: 2,
      numInputs: 2,
      dropout: 0,
      activation: 'ELU',
    });
    zeroAll(store);
    // Joint GRN: all zero but out_proj's bias [0, ln 3], so its output is LayerNorm([0, ln 3]).
    set(store, 'v/joint_grn/layer_norm/weight', [1, 1]);
    set(store, 'v/joint_grn/out_proj/bias', [0, Math.log(3)]);
    // Per-variable GRNs: zero weights, so GRN_i(x_i) = LayerNorm(x_i).
    set(store, 'v/var_grns/layer_norm/weight', [[[1, 1]], [[1, 1]]]);
    const x = tf.tensor3d([
      [
        [1, 3],
        [2, 0],
      ],
    ]); // [B = 1, n = 2, d = 2]
    const { features, weights } = vsn.apply(x, ctx);
    const logits = layerNorm([0, Math.log(3)]);
    const z = Math.exp(logits[0]!) + Math.exp(logits[1]!);
    const w = logits.map((l) => Math.exp(l) / z);
    expectClose(weights.dataSync(), w);
    expect(w[0]! + w[1]!).toBeCloseTo(1, 12);
    const [g0, g1] = [layerNorm([1, 3]), layerNorm([2, 0])];
    expectClose(
      features.dataSync(),
      [0, 1].map((j) => w[0]! * g0[j]! + w[1]! * g1[j]!),
    );
    store.dispose();
  });

  it('temporal weights [B, T, n] sum to 1 at every step, with a context', () => {
    const store = createParamStore('vsn', 2);
    const vsn = createVariableSelection(store, {
      path: 'v',
      hiddenSize: 4,
      numInputs: 3,
      dropout: 0.1,
      activation: 'GELU',
    });
    const x = tf.randomNormal([2, 5, 3, 4], 0, 1, 'float32', 1);
    const { features, weights } = vsn.apply(
      x,
      ctx,
      tf.randomNormal([2, 4], 0, 1, 'float32', 2) as tf.Tensor2D,
    );
    expect(features.shape).toEqual([2, 5, 4]);
    expect(weights.shape).toEqual([2, 5, 3]);
    for (const s of tf.sum(weights, -1).dataSync()) expect(s).toBeCloseTo(1, 6);
    store.dispose();
  });
});

describe('embedded scalars', () => {
  it('pass the selection’s first layers folded: the features, weights and gradients of the embeddings formed first', () => {
    const store = createParamStore('vsn', 3);
    const embedding = createScalarEmbedding(store, 'e', 3, 4);
    const vsn = createVariableSelection(store, {
      path: 'v',
      hiddenSize: 4,
      numInputs: 3,
      dropout: 0.1,
      activation: 'ELU',
    });
    // Non-zero embedding biases, so the folded shifts are exercised.
    (embedding.bias as tf.Variable).assign(tf.randomNormal([3, 4], 0, 1, 'float32', 4));
    const x = tf.randomNormal([2, 5, 3], 0, 1, 'float32', 5);
    const context = tf.randomNormal([2, 4], 0, 1, 'float32', 6) as tf.Tensor2D;
    const run = (folded: boolean) => {
      setEmbeddingFolding(folded);
      try {
        return tf.tidy(() => {
          const train = createForwardContext({ training: true, seed: 7 }, new Rng(1));
          const { value, grads } = tf.variableGrads(() => {
            const { features, weights } = vsn.apply({ x, embedding }, train, context);
            return tf.add(tf.sum(tf.square(features)), tf.sum(tf.mul(weights, tf.range(0, 3)))) as tf.Scalar;
          }, store.variables as tf.Variable[]);
          return [value, ...store.variables.map((v) => grads[v.name]!)].map((t) => Array.from(t.dataSync()));
        });
      } finally {
        setEmbeddingFolding(true);
      }
    };
    const [folded, formed] = [run(true), run(false)];
    formed.forEach((want, i) => {
      const scale = Math.max(1, ...want.map(Math.abs));
      want.forEach((w, j) => expect(Math.abs(folded[i]![j]! - w) / scale).toBeLessThan(1e-5));
    });
    store.dispose();
  });
});

describe('interpretable multi-head attention', () => {
  it('averages the heads’ causal weights over one shared value projection (d = 2, two heads, by hand)', () => {
    const store = createParamStore('attn', 1);
    const attention = createInterpretableAttention(store, {
      path: 'a',
      hiddenSize: 2,
      nHead: 2,
      attnDropout: 0,
      dropout: 0,
    });
    // Columns q1 q2 k1 k2 v of the bias-free [2, 5] projection; out_proj [1, 2] = [1, −1].
    set(store, 'a/qkv_linears/kernel', [
      [1, 0, 1, 2, 1],
      [0, 1, 1, 0, 3],
    ]);
    set(store, 'a/out_proj/kernel', [[1, -1]]);
    const x = tf.tensor3d([
      [
        [1, 0],
        [0, 1],
      ],
    ]); // t0 = [1, 0], t1 = [0, 1]: v = [1, 3]
    // Row t1: head 1 q = 0 -> weights [½, ½]; head 2 q = 1, keys k2 = [2, 0] -> softmax([2, 0]).
    const e2 = Math.exp(2);
    const mean = [(0.5 + e2 / (e2 + 1)) / 2, (0.5 + 1 / (e2 + 1)) / 2];
    const value = mean[0]! * 1 + mean[1]! * 3;
    const all = attention.apply(x, 0, ctx);
    // Row t0 sees only itself: weight 1 on v = 1 in every head.
    expectClose(all.output.dataSync(), [1, -1, value, -value]);
    expectClose(all.weights.dataSync(), [1, 0, 0.5, 0.5, 1, 0, e2 / (e2 + 1), 1 / (e2 + 1)]);
    // Queries from step 1 only: the same last row, nothing else computed.
    const last = attention.apply(x, 1, ctx);
    expect(last.output.shape).toEqual([1, 1, 2]);
    expectClose(last.output.dataSync(), [value, -value]);
    store.dispose();
  });
});

describe('TFT network', () => {
  it('has NeuralForecast’s 870,158 parameters at h = 12, input_size = 24 and its defaults', () => {
    const net = spec.build(spec.configSchema.parse({}), dims({ h: 12, inputSize: 24 }), 1);
    // embedding 512 + temporal encoder 613,005 + fusion decoder 256,512 + output adapter 129.
    expect(countParameters(net.variables)).toBe(870_158);
    net.dispose();
  });

  it('counts static encoder and exogenous embeddings as NeuralForecast does', () => {
    const d = 8;
    const net = spec.build(
      spec.configSchema.parse({ hidden_size: d, n_head: 2 }),
      dims({ h: 2, inputSize: 4, futrExogSize: 2, histExogSize: 1, statExogSize: 3 }),
      1,
    );
    const grn = (input: number, out?: number, context = false) =>
      (out === 1 ? 0 : 2 * (out ?? d)) + // layer norm
      input * d +
      d +
      (context ? d * d : 0) +
      d * d +
      d + // lin_a, lin_c, lin_i
      d * 2 * (out ?? d) +
      2 * (out ?? d) + // glu
      (out === undefined ? 0 : input * out + out); // out_proj
    const vsn = (n: number) => grn(n * d, n, true) + n * grn(d);
    const lstm = 4 * d * (d + d) + 8 * d;
    const glu = d * 2 * d + 2 * d + 2 * d; // with its layer norm
    const expected =
      2 * d * (3 + 2 + 1 + 1) + // embeddings: stat, futr, hist, target
      vsn(3) +
      4 * grn(d) + // static encoder: VSN, contexts cs, ce, ch, cc
      vsn(1 + 2 + 1) +
      2 * lstm +
      vsn(2) +
      glu + // temporal encoder
      grn(d, undefined, true) +
      d * 5 * (d / 2) +
      (d / 2) * d +
      glu +
      grn(d) +
      glu + // fusion decoder
      d +
      1; // output adapter
    expect(countParameters(net.variables)).toBe(expected);
    net.dispose();
  });

  it('reports what it weighed: selection weights summing to 1, causal attention, the same forecast', () => {
    const d = dims({ h: 3, inputSize: 5, futrExogSize: 2, histExogSize: 1, statExogSize: 2 });
    const net = spec.build(spec.configSchema.parse({ hidden_size: 8, n_head: 2 }), d, 1) as TftNetwork;
    const batch = randomBatch(d, 4);
    const forecast = net.forward(batch, { training: false });
    const before = tf.memory().numTensors;
    const seen = net.interpret(batch);
    expectClose(seen.forecast.dataSync(), Array.from(forecast.dataSync()));
    expect(seen.history.shape).toEqual([4, 5, 1 + 2 + 1]);
    expect(seen.future.shape).toEqual([4, 3, 2]);
    expect(seen.static?.shape).toEqual([4, 2]);
    expect(seen.attention.shape).toEqual([4, 2, 8, 8]);
    const sums = tf.tidy(() =>
      tf.concat([seen.history, seen.future, seen.static!].map((w) => tf.reshape(tf.sum(w, -1), [-1]))),
    );
    for (const s of sums.dataSync()) expect(s).toBeCloseTo(1, 6);
    sums.dispose();
    const attention = seen.attention.arraySync();
    for (const head of attention.flat(1))
      head.forEach((row, i) => {
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
        row.slice(i + 1).forEach((v) => expect(v).toBe(0)); // no step reads its future
      });
    tf.dispose(Object.values(seen));
    expect(tf.memory().numTensors).toBe(before);
    forecast.dispose();
    disposeBatch(batch);
    net.dispose();
  });

  it('trains through fused gate-add-norms with the gradients of their tf-op composition (dropout on)', () => {
    const d = dims({ h: 3, inputSize: 5, futrExogSize: 1, histExogSize: 1, statExogSize: 2 });
    const net = spec.build(spec.configSchema.parse({ hidden_size: 8, n_head: 2 }), d, 1) as TftNetwork;
    const batch = randomBatch(d, 3);
    const gradients = () =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(
          () => tf.sum(tf.square(net.forward(batch, { training: true, seed: 5 }))) as tf.Scalar,
          net.variables as tf.Variable[],
        );
        return net.variables.map((v) => Array.from(grads[v.name]?.dataSync() ?? []));
      });
    const fused = gradients();
    // Without the kernels gatedAddNorm composes tf ops, which the tape differentiates.
    const kernels = [GATED_NORM_FORWARD, GATED_NORM_BACKWARD].map((name) => tf.getKernel(name, 'cpu')!);
    kernels.forEach((k) => tf.unregisterKernel(k.kernelName, 'cpu'));
    let composed: number[][];
    try {
      composed = gradients();
    } finally {
      kernels.forEach((k) => tf.registerKernel(k));
    }
    fused.forEach((g, i) => {
      const name = logicalName(net.variables[i]!);
      expect(g.length, name).toBe(composed[i]!.length);
      // The static selection has no context to read, as in NeuralForecast: its lin_c stays unused;
      // the future selection over one variable weighs it by exactly 1 without its joint GRN.
      const unused =
        name === 'tft/static_encoder/vsn/joint_grn/lin_c/kernel' ||
        name.startsWith('tft/temporal_encoder/future_vsn/joint_grn/');
      expect(g.length === 0, name).toBe(unused);
      const scale = Math.max(1e-6, ...composed[i]!.map(Math.abs));
      g.forEach((v, j) => expect(Math.abs(v - composed[i]![j]!) / scale, name).toBeLessThan(1e-4));
    });
    disposeBatch(batch);
    net.dispose();
  });

  it('seeds the encoder from the static context: static covariates change the forecast through the state', () => {
    for (const rnn_type of ['lstm', 'GRU']) {
      for (const one_rnn_initial_state of [false, true]) {
        const d = dims({ h: 2, inputSize: 4, statExogSize: 1 });
        const net = spec.build(
          spec.configSchema.parse({
            hidden_size: 8,
            n_head: 2,
            n_rnn_layers: 2,
            rnn_type,
            one_rnn_initial_state,
          }),
          d,
          1,
        );
        const names = net.variables.map(logicalName).filter((n) => n.includes('context_grns/lin_a/kernel'));
        const contexts = net.variables.find((v) => logicalName(v) === names[0])!.shape[0];
        const states = one_rnn_initial_state ? 1 : 2;
        expect(contexts, `${rnn_type} ${one_rnn_initial_state}`).toBe(
          2 + (rnn_type === 'lstm' ? 2 : 1) * states,
        );
        const batch = randomBatch(d, 2);
        const a = net.forward(batch, { training: false }).dataSync();
        const other = { ...batch, statExog: tf.add(batch.statExog!, 1) as tf.Tensor2D };
        const b = net.forward(other, { training: false }).dataSync();
        expect(Array.from(a)).not.toEqual(Array.from(b));
        other.statExog.dispose();
        disposeBatch(batch);
        net.dispose();
      }
    }
  });

  it('rejects a hidden_size its heads do not divide, and NeuralForecast’s unusable GLU activation', () => {
    expect(() =>
      spec.build(spec.configSchema.parse({ hidden_size: 10, n_head: 4 }), dims({ h: 2, inputSize: 4 }), 1),
    ).toThrow(/divisible by n_head/);
    expect(() => spec.configSchema.parse({ grn_activation: 'GLU' })).toThrow();
    expect(spec.configSchema.parse({ rnn_type: 'GRU' }).rnn_type).toBe('gru');
  });
});
