import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Rng } from '@nflab/contracts';
import type { ModelDims } from '../src/model/types.js';
import { decoderInput, labelLength } from '../src/models/encoder-decoder.js';
import { MODELS } from '../src/models/registry.js';
import { createAttentionLayer, fullAttention } from '../src/nn/attention.js';
import { createForwardContext } from '../src/nn/forward-context.js';
import { createLayerNorm } from '../src/nn/layer-norm.js';
import { countParameters, createParamStore, logicalName } from '../src/nn/params.js';
import {
  createTransEncoder,
  createTransEncoderLayer,
  type SequenceLayer,
} from '../src/nn/transformer-layers.js';
import { dims, disposeBatch, randomBatch, useCpu } from './models-fixtures.js';

beforeAll(useCpu);

const spec = MODELS.vanillatransformer;
const build = (d: ModelDims, overrides: Record<string, unknown> = {}) =>
  spec.build(spec.configSchema.parse(overrides), d, 1);
const evalCtx = createForwardContext({ training: false }, new Rng(1));

describe('decoder input (NeuralForecast: last label_len window steps, then h zeros)', () => {
  it('label_len = ⌈input_size · decoder_input_size_multiplier⌉ inside (0, input_size)', () => {
    expect(labelLength('VT', 24, 0.5)).toBe(12);
    expect(labelLength('VT', 7, 0.5)).toBe(4); // ⌈3.5⌉
    expect(labelLength('VT', 2, 0.5)).toBe(1);
    expect(labelLength('VT', 10, 0.01)).toBe(1); // ⌈0.1⌉
    expect(() => labelLength('VT', 4, 0.9)).toThrow(ConfigError); // ⌈3.6⌉ = 4 leaves no step out
  });

  it('copies the last label_len steps of each window and appends h zeros', () => {
    const y = tf.tensor3d([1, 2, 3, 4, 5, 10, 20, 30, 40, 50], [2, 5, 1]);
    const input = decoderInput(y, 3, 2);
    expect(input.shape).toEqual([2, 5, 1]);
    expect(Array.from(input.dataSync())).toEqual([3, 4, 5, 0, 0, 30, 40, 50, 0, 0]);
    tf.dispose([y, input]);
  });
});

describe('transformer encoder blocks', () => {
  it("creates each layer's modules in NeuralForecast's order and checks the distilling layers' count", () => {
    const store = createParamStore('vt-test', 1);
    const options = {
      path: 'layer',
      hiddenSize: 4,
      convHiddenSize: 6,
      dropout: 0,
      activation: 'relu' as const,
    };
    const attention = createAttentionLayer(
      store,
      { path: 'layer/attention', hiddenSize: 4, nHeads: 2 },
      fullAttention({ causal: false, dropout: 0 }),
    );
    const layer = createTransEncoderLayer(store, attention, options);
    expect(store.variables.map(logicalName).map((n) => n.split('/').slice(2).join('/'))).toEqual([
      'attention/query_projection/kernel',
      'attention/query_projection/bias',
      'attention/key_projection/kernel',
      'attention/key_projection/bias',
      'attention/value_projection/kernel',
      'attention/value_projection/bias',
      'attention/out_projection/kernel',
      'attention/out_projection/bias',
      'conv1/kernel', // kernel 1: a dense layer over the channels
      'conv1/bias',
      'conv2/kernel',
      'conv2/bias',
      'norm1/weight',
      'norm1/bias',
      'norm2/weight',
      'norm2/bias',
    ]);
    // 4·(4·4 + 4) attention + (4·6 + 6) conv1 + (6·4 + 4) conv2 + 2·8 norms.
    expect(countParameters(store.variables)).toBe(80 + 30 + 28 + 16);
    const identity: SequenceLayer = { apply: (x) => x };
    expect(() => createTransEncoder({ layers: [layer, layer], convLayers: [identity, identity] })).toThrow(
      /one conv layer fewer/,
    );
    const encoder = createTransEncoder({ layers: [layer, layer], norm: createLayerNorm(store, 'norm', 4) });
    const x = tf.randomNormal([2, 5, 4], 0, 1, 'float32', 1) as tf.Tensor3D;
    const { output, weights } = tf.tidy(() => {
      const out = encoder.apply(x, evalCtx);
      return { output: out.output, weights: out.weights };
    });
    // Post-norm: the final layer norm leaves every step with mean 0 and variance 1 across channels.
    const { mean, variance } = tf.moments(output, -1);
    Array.from(mean.dataSync()).forEach((m) => expect(m).toBeCloseTo(0, 5));
    Array.from(variance.dataSync()).forEach((s) => expect(s).toBeCloseTo(1, 3));
    expect(weights.map((w) => w.shape)).toEqual([
      [2, 2, 5, 5],
      [2, 2, 5, 5],
    ]);
    tf.dispose([x, output, mean, variance, ...weights]);
    store.dispose();
  });
});

describe('VanillaTransformer network', () => {
  it("has NeuralForecast's 292,449 parameters at h=12, input_size=24", () => {
    // Token convs 2·384; 2 encoder layers of 74_912 (attention 66_048, conv1 4_128, conv2 4_224,
    // norms 512); encoder norm 256; decoder layer 141_216 (two attentions 132_096, convs 8_352,
    // three norms 768); decoder norm 256; projection Linear(128, 1) = 129.
    const count = (overrides: Record<string, unknown>, d: ModelDims): number => {
      const net = build(d, overrides);
      const n = countParameters(net.variables);
      net.dispose();
      return n;
    };
    const reference = dims({ h: 12, inputSize: 24 });
    expect(count({}, reference)).toBe(768 + 2 * 74_912 + 256 + 141_216 + 256 + 129); // 292_449
    expect(count({ n_head: 8 }, reference)).toBe(292_449); // heads split the same projections
    // Three outputs (MQLoss-like): the projection grows to Linear(128, 3).
    expect(count({}, dims({ h: 12, inputSize: 24, nOutputs: 3 }))).toBe(292_449 + 2 * 128 + 2);
  });

  it("lets the first forecast step see the last horizon step's futr mark: NeuralForecast's decoder is unmasked", () => {
    // mask_flag=True on the decoder's self-attention never reaches F.scaled_dot_product_attention
    // (no mask object is passed), so with a causal mask this difference would be exactly 0.
    const d = dims({ h: 3, inputSize: 6, futrExogSize: 1 });
    const net = build(d, { hidden_size: 8, n_head: 2, conv_hidden_size: 8 });
    const batch = randomBatch(d, 2);
    const futr = batch.futrExog as tf.Tensor3D;
    const lastStep = tf.tidy(() => tf.reshape(tf.oneHot(tf.fill([2], 8, 'int32'), 9), [2, 9, 1])); // step L+h−1
    const moved = tf.add<tf.Tensor3D>(futr, lastStep);
    const a = net.forward(batch, { training: false });
    const b = net.forward({ ...batch, futrExog: moved }, { training: false });
    const firstStep = (t: tf.Tensor3D) =>
      tf.tidy(() => Array.from(tf.slice(t, [0, 0, 0], [2, 1, 1]).dataSync()));
    expect(firstStep(a)).not.toEqual(firstStep(b));
    tf.dispose([lastStep, moved, a, b]);
    disposeBatch(batch);
    net.dispose();
  });

  it('refuses hist/stat exogenous, an odd hidden_size and more heads than channels', () => {
    expect(() => build(dims({ h: 4, inputSize: 8, histExogSize: 1 }))).toThrow(/accepts futr_exog_list/);
    expect(() => build(dims({ h: 4, inputSize: 8, statExogSize: 2 }))).toThrow(ConfigError);
    expect(() => spec.configSchema.parse({ hidden_size: 15 })).toThrow(/even/);
    expect(() => build(dims({ h: 4, inputSize: 8 }), { hidden_size: 4, n_head: 8 })).toThrow(/n_head = 8/);
  });
});
