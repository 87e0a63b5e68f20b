import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelDims } from '../src/model/types.js';
import { dilatedrnn } from '../src/models/dilatedrnn/dilatedrnn.js';
import { createAttentiveLstmLayer } from '../src/models/dilatedrnn/attentive-lstm.js';
import { dilate, runDrnn } from '../src/models/dilatedrnn/drnn.js';
import { createResLstmCell } from '../src/models/dilatedrnn/res-lstm-cell.js';
import { createElmanCell } from '../src/models/recurrent/elman-cell.js';
import { unrollLayerTimeMajor } from '../src/models/recurrent/unroll.js';
import { countParameters, createParamStore, logicalName, type ParamStore } from '../src/nn/params.js';
import { dims, disposeBatch, randomBatch, useCpu } from './models-fixtures.js';

beforeAll(useCpu);

/** A 1-input, 1-unit tanh cell h' = tanh(0.5 x + 0.8 h + 0.1). */
function handCell(): { run: (x: tf.Tensor3D) => tf.Tensor3D; dispose: () => void } {
  const store = createParamStore('test', 1);
  const cell = createElmanCell(store, { path: 'cell', inputSize: 1, hiddenSize: 1 });
  cell.weightIh.assign(tf.tensor2d([[0.5]]));
  cell.weightHh.assign(tf.tensor2d([[0.8]]));
  cell.biasIh?.assign(tf.tensor1d([0.1]));
  cell.biasHh?.assign(tf.tensor1d([0]));
  return { run: (x) => unrollLayerTimeMajor(cell, x), dispose: () => store.dispose() };
}

/** The hand cell unrolled over `xs` from h = 0. */
function handUnroll(xs: readonly number[]): number[] {
  let h = 0;
  return xs.map((x) => (h = Math.tanh(0.5 * x + 0.8 * h + 0.1)));
}

const flat = (t: tf.Tensor): number[] => Array.from(t.dataSync());

describe('DRNN dilation (pad, split into rate sub-sequences, unroll, re-interleave)', () => {
  const xs = [1, -2, 0.5, 3, -1];
  const x = (): tf.Tensor3D => tf.tensor3d(xs, [5, 1, 1]); // time-major [T, B, C]

  it('rate 2 over 5 steps runs the cell separately on steps 0,2,4 and on steps 1,3', () => {
    const { run, dispose } = handCell();
    const out = dilate(run, x(), 2);
    expect(out.shape).toEqual([5, 1, 1]);
    const even = handUnroll([1, 0.5, -1]); // t = 0, 2, 4
    const odd = handUnroll([-2, 3]); // t = 1, 3 (the padded t = 5 is cut off)
    const want = [even[0], odd[0], even[1], odd[1], even[2]] as number[];
    flat(out).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
    out.dispose();
    dispose();
  });

  it('rate 1 is the plain unroll, and a rate above the length gives each step its own sequence', () => {
    const { run, dispose } = handCell();
    const plain = dilate(run, x(), 1);
    flat(plain).forEach((v, i) => expect(v).toBeCloseTo(handUnroll(xs)[i]!, 6));
    const wide = dilate(run, x(), 8); // padded to 8 steps, one step per phase
    flat(wide).forEach((v, i) => expect(v).toBeCloseTo(handUnroll([xs[i]!])[0]!, 6));
    tf.dispose([plain, wide]);
    dispose();
  });

  it('pads with zeros at the end, as NeuralForecast (visible to a layer that sees its whole sub-sequence)', () => {
    // Every output is its sub-sequence's mean, so the padded zero shows in the odd phase: [-2, 3, 0].
    const mean = (s: tf.Tensor3D): tf.Tensor3D =>
      tf.tidy(() => tf.mul(tf.mean(s, 0, true), tf.onesLike(s)) as tf.Tensor3D);
    const out = dilate(mean, x(), 2);
    const even = (1 + 0.5 - 1) / 3;
    const odd = (-2 + 3 + 0) / 3;
    flat(out).forEach((v, i) => expect(v).toBeCloseTo([even, odd, even, odd, even][i]!, 6));
    out.dispose();
  });

  it('keeps batch windows apart and stacks layers with their own rates', () => {
    const { run, dispose } = handCell();
    const second = [0.2, 0.4, -0.6, 0.8, 1];
    const batch = tf.tensor3d(
      xs.flatMap((v, t) => [v, second[t]!]),
      [5, 2, 1],
    ); // [T, B, C]
    const out = runDrnn(
      [
        { run, rate: 1 },
        { run, rate: 2 },
      ],
      batch,
    );
    [xs, second].forEach((seq, b) => {
      const h1 = handUnroll(seq); // rate 1
      const even = handUnroll([h1[0]!, h1[2]!, h1[4]!]);
      const odd = handUnroll([h1[1]!, h1[3]!]);
      const want = [even[0], odd[0], even[1], odd[1], even[2]] as number[];
      flat(out)
        .filter((_, i) => i % 2 === b)
        .forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
    });
    tf.dispose([batch, out]);
    dispose();
  });
});

/** Builds DilatedRNN with `overrides` on its defaults. */
const build = (d: ModelDims, overrides: Record<string, unknown> = {}, seed = 1) =>
  dilatedrnn.build(dilatedrnn.configSchema.parse(overrides), d, seed);

describe('DilatedRNN model', () => {
  const reference = dims({ h: 12, inputSize: 24 });

  it("has NeuralForecast's 480,301 parameters at its defaults (h=12, input_size=24)", () => {
    const net = build(reference);
    // LSTM layers hold 4·128·(in + 128 + 2): the first (in = 1) 67_072, the three others 132_096;
    // context_adapter Linear(24, 12) = 300; mlp_decoder Linear(128, 128) + Linear(128, 1) = 16_641.
    expect(countParameters(net.variables)).toBe(67_072 + 3 * 132_096 + 300 + 16_641);
    expect(countParameters(net.variables)).toBe(480_301);
    net.dispose();
  });

  it('has 3 and 1 gate blocks per layer with GRU and RNN cells', () => {
    const gru = build(reference, { cell_type: 'GRU' });
    expect(countParameters(gru.variables)).toBe(3 * 128 * 131 + 3 * 3 * 128 * 258 + 300 + 16_641);
    const rnn = build(reference, { cell_type: 'RNN' });
    expect(countParameters(rnn.variables)).toBe(128 * 131 + 3 * 128 * 258 + 300 + 16_641);
    gru.dispose();
    rnn.dispose();
  });

  it('takes hist, stat and futr columns into the first layer and futr into the decoder', () => {
    const d = dims({ h: 3, inputSize: 5, futrExogSize: 2, histExogSize: 1, statExogSize: 3 });
    const net = build(d, { encoder_hidden_size: 4, decoder_hidden_size: 4, dilations: [[1, 2], [3]] });
    const shapes = Object.fromEntries(net.variables.map((v) => [logicalName(v), v.shape]));
    expect(shapes['dilatedrnn/rnn_stack/0/cells/0/ih/kernel']).toEqual([1 + 1 + 3 + 2, 16]);
    expect(shapes['dilatedrnn/rnn_stack/1/cells/0/ih/kernel']).toEqual([4, 16]);
    expect(shapes['dilatedrnn/context_adapter/kernel']).toEqual([5, 3]);
    expect(shapes['dilatedrnn/mlp_decoder/layer_0/kernel']).toEqual([4 + 2, 4]);
    const batch = randomBatch(d, 6);
    const out = net.forward(batch, { training: false });
    expect(out.shape).toEqual([6, 3, 1]);
    tf.dispose(out);
    disposeBatch(batch);
    net.dispose();
  });

  it('adds each later group its input back (residual connection)', () => {
    // A zero-weight LSTM outputs h = σ(0)·tanh(0) = 0, so with the second group zeroed the model
    // equals the one-group model exactly when that group's input is added back.
    const d = dims({ h: 2, inputSize: 6 });
    const small = { encoder_hidden_size: 3, decoder_hidden_size: 4 };
    const one = build(d, { ...small, dilations: [[1, 2]] });
    const two = build(d, { ...small, dilations: [[1, 2], [2]] });
    const byName = new Map(one.variables.map((v) => [logicalName(v).replace(/^[^/]+\//, ''), v]));
    for (const v of two.variables) {
      const name = logicalName(v).replace(/^[^/]+\//, '');
      const source = byName.get(name);
      tf.tidy(() => v.assign(name.startsWith('rnn_stack/1/') ? tf.zerosLike(v) : source!));
    }
    const batch = randomBatch(d, 4);
    const a = one.forward(batch, { training: false });
    const b = two.forward(batch, { training: false });
    flat(b).forEach((v, i) => expect(v).toBeCloseTo(flat(a)[i]!, 6));
    // Without the residual the zero group would hand the adapter zeros: one forecast for every window.
    expect(new Set(flat(b).map((v) => v.toFixed(6))).size).toBeGreaterThan(2);
    tf.dispose([a, b]);
    disposeBatch(batch);
    one.dispose();
    two.dispose();
  });

  it("has ResLSTM and AttentiveLSTM layers of NeuralForecast's sizes", () => {
    // ResLSTM: 4·H·in + 7·H² + 10·H (W_ir included): in = 1 -> 116_480, in = 128 -> 181_504.
    const res = build(reference, { cell_type: 'ResLSTM' });
    expect(countParameters(res.variables)).toBe(116_480 + 3 * 181_504 + 300 + 16_641);
    // AttentiveLSTM: LSTMCell 4·H·(in + H + 2) + Linear(in + 2H, H) + Linear(H, 1).
    const att = build(reference, { cell_type: 'AttentiveLSTM' });
    const layer = (i: number): number => 4 * 128 * (i + 130) + (i + 256) * 128 + 128 + 128 + 1;
    expect(countParameters(att.variables)).toBe(layer(1) + 3 * layer(128) + 300 + 16_641);
    res.dispose();
    att.dispose();
    expect(() => dilatedrnn.configSchema.parse({ cell_type: 'lstm' })).toThrow();
  });
});

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** Assigns store variables by the end of their names. */
function setByName(store: ParamStore, values: Record<string, number[][] | number[]>): void {
  for (const [suffix, value] of Object.entries(values)) {
    const v = store.variables.find((w) => logicalName(w).endsWith(suffix));
    if (!v) throw new Error(`no variable ${suffix}`);
    tf.tidy(() => v.assign(tf.tensor(value as number[], v.shape)));
  }
}

describe('ResLSTM cell (NeuralForecast ResLSTMCell)', () => {
  it('one step with in = hidden adds the input inside the output gate', () => {
    const store = createParamStore('test', 1);
    const cell = createResLstmCell(store, { path: 'c', inputSize: 1, hiddenSize: 1 });
    setByName(store, {
      'ii/kernel': [[0.5, -0.5, 0.25]], // i | f | o
      'ic/kernel': [[0.1, 0.2, 0.3]],
      'ih/kernel': [[-0.2, 0.1, 0.4]],
      'ii/bias': [0, 0.1, 0],
      'ic/bias': [0.05, 0, 0],
      'ih/bias': [0, 0, -0.1],
      'hh/kernel': [[0.6]],
      'hh/bias': [0.1],
      'ir/kernel': [[100]], // unused when in = hidden
    });
    const [h, c] = cell.step(tf.tensor2d([[1]]), [tf.tensor2d([[0.5]]), tf.tensor2d([[-0.2]])]);
    // i = 0.5 - 0.1 - 0.02 + 0.05 = 0.43; f = -0.5 + 0.1 + 0.05 - 0.04 = -0.39; o = 0.25 + 0.2 - 0.1 - 0.06 = 0.29
    // g = tanh(0.6·0.5 + 0.1) from h alone
    const cWant = sigmoid(-0.39) * -0.2 + sigmoid(0.43) * Math.tanh(0.4);
    expect(c!.dataSync()[0]).toBeCloseTo(cWant, 6);
    expect(h!.dataSync()[0]).toBeCloseTo(sigmoid(0.29) * (Math.tanh(cWant) + 1), 6);
    tf.dispose([h!, c!]);
    store.dispose();
  });

  it('projects the input with W_ir when in differs from hidden, and starts from N(0, 1) weights', () => {
    const store = createParamStore('test', 1);
    const cell = createResLstmCell(store, { path: 'c', inputSize: 2, hiddenSize: 1 });
    for (const v of store.variables) tf.tidy(() => v.assign(tf.zerosLike(v)));
    setByName(store, { 'ir/kernel': [[2], [3]] });
    const [h, c] = cell.step(tf.tensor2d([[1, -1]]), [tf.zeros([1, 1]), tf.zeros([1, 1])]);
    // Zero gates: σ(0) = 0.5, g = 0, c' = 0; h' = 0.5·(tanh 0 + (1·2 - 1·3)) = -0.5.
    expect(c!.dataSync()[0]).toBeCloseTo(0, 6);
    expect(h!.dataSync()[0]).toBeCloseTo(-0.5, 6);
    tf.dispose([h!, c!]);
    store.dispose();
    const big = createParamStore('test', 2);
    createResLstmCell(big, { path: 'c', inputSize: 64, hiddenSize: 64 });
    const all = tf.concat(big.variables.map((v) => tf.reshape(v, [-1])));
    expect(tf.moments(all).variance.dataSync()[0]).toBeCloseTo(1, 1);
    tf.dispose(all);
    big.dispose();
  });
});

/** One nn.LSTM step for 1 input and 1 unit, gates i|f|g|o. */
function lstmStep(x: number, h: number, c: number): [number, number] {
  const w = { ih: [0.5, -0.5, 1, 0.25], hh: [0.1, 0.2, -0.3, 0.4], b: [0.2, 0.1, 0.1, -0.1] };
  const pre = w.ih.map((wi, k) => wi * x + w.hh[k]! * h + w.b[k]!);
  const cNext = sigmoid(pre[1]!) * c + sigmoid(pre[0]!) * Math.tanh(pre[2]!);
  return [sigmoid(pre[3]!) * Math.tanh(cNext), cNext];
}

describe('AttentiveLSTM layer (NeuralForecast AttentiveLSTMLayer)', () => {
  it('attends over the whole sequence with (h, c) before each LSTM step', () => {
    const store = createParamStore('test', 1);
    const layer = createAttentiveLstmLayer(store, { path: 'a', inputSize: 1, hiddenSize: 1 });
    setByName(store, {
      'cell/ih/kernel': [[0.5, -0.5, 1, 0.25]],
      'cell/hh/kernel': [[0.1, 0.2, -0.3, 0.4]],
      'cell/ih/bias': [0, 0.1, 0, -0.1],
      'cell/hh/bias': [0.2, 0, 0.1, 0],
      'attn_layer/0/kernel': [[0.7], [0.3], [-0.4]], // rows: x, h, c
      'attn_layer/0/bias': [0.1],
      'attn_layer/2/kernel': [[1.5]],
      'attn_layer/2/bias': [0.2],
    });
    const xs = [1, -1];
    const out = layer(tf.tensor3d(xs, [2, 1, 1])); // time-major [T, N, I]
    let h = 0;
    let c = 0;
    const want: number[] = [];
    for (let t = 0; t < 2; t += 1) {
      const e = xs.map((x) => 1.5 * Math.tanh(0.7 * x + 0.3 * h - 0.4 * c + 0.1) + 0.2);
      const z = e.map(Math.exp);
      const context = (z[0]! * xs[0]! + z[1]! * xs[1]!) / (z[0]! + z[1]!);
      [h, c] = lstmStep(context, h, c);
      want.push(h);
    }
    expect(out.shape).toEqual([2, 1, 1]);
    flat(out).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
    out.dispose();
    store.dispose();
  });

  it("starts its LSTM cell from N(0, 1) weights, as NeuralForecast's torch.randn", () => {
    const store = createParamStore('test', 3);
    createAttentiveLstmLayer(store, { path: 'a', inputSize: 64, hiddenSize: 64 });
    const kernel = store.variables.find((v) => logicalName(v).endsWith('cell/hh/kernel'))!;
    expect(tf.moments(kernel).variance.dataSync()[0]).toBeCloseTo(1, 1);
    const attn = store.variables.find((v) => logicalName(v).endsWith('attn_layer/0/kernel'))!;
    expect(tf.max(tf.abs(attn)).dataSync()[0]).toBeLessThanOrEqual(1 / Math.sqrt(64 * 3)); // nn.Linear's bound
    store.dispose();
  });
});
