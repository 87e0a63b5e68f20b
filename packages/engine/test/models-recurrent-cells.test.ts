import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGruCell } from '../src/models/recurrent/gru-cell.js';
import { createLstmCell } from '../src/models/recurrent/lstm-cell.js';
import { unrollLayer } from '../src/models/recurrent/unroll.js';
import { countParameters, createParamStore } from '../src/nn/params.js';
import { useCpu } from './models-fixtures.js';

beforeAll(useCpu);

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** Sets a 1-input, 1-unit cell's weights; gate blocks side by side as PyTorch orders them. */
function setWeights(
  cell: { weightIh: tf.Variable; weightHh: tf.Variable; biasIh?: tf.Variable; biasHh?: tf.Variable },
  w: { ih: number[]; hh: number[]; bih: number[]; bhh: number[] },
): void {
  cell.weightIh.assign(tf.tensor2d([w.ih]));
  cell.weightHh.assign(tf.tensor2d([w.hh]));
  cell.biasIh?.assign(tf.tensor1d(w.bih));
  cell.biasHh?.assign(tf.tensor1d(w.bhh));
}

describe('LSTM cell (i|f|g|o gates, as nn.LSTM)', () => {
  const weights = {
    ih: [0.5, -0.5, 1, 0.25],
    hh: [0.1, 0.2, -0.3, 0.4],
    bih: [0, 0.1, 0, -0.1],
    bhh: [0.2, 0, 0.1, 0],
  };

  it('one step from (h, c) = (0.5, -0.2) with x = 1', () => {
    const store = createParamStore('test', 1);
    const cell = createLstmCell(store, { path: 'c', inputSize: 1, hiddenSize: 1 });
    setWeights(cell, weights);
    const [h, c] = cell.step(tf.tensor2d([[1]]), [tf.tensor2d([[0.5]]), tf.tensor2d([[-0.2]])]);
    // pre-activations: i = 0.5 + 0.05 + 0.2 = 0.75, f = -0.5 + 0.1 + 0.1 = -0.3,
    // g = 1 - 0.15 + 0.1 = 0.95, o = 0.25 - 0.1 + 0.2 = 0.35
    const cWant = sigmoid(-0.3) * -0.2 + sigmoid(0.75) * Math.tanh(0.95);
    expect(c!.dataSync()[0]).toBeCloseTo(cWant, 6);
    expect(h!.dataSync()[0]).toBeCloseTo(sigmoid(0.35) * Math.tanh(cWant), 6);
    tf.dispose([h!, c!]);
    store.dispose();
  });

  it('two steps from the zero state carry c between steps', () => {
    const store = createParamStore('test', 1);
    const cell = createLstmCell(store, { path: 'c', inputSize: 1, hiddenSize: 1 });
    setWeights(cell, weights);
    const out = unrollLayer(cell, tf.tensor3d([[[1], [-1]]]));
    // t1 (h = c = 0): i = 0.7, f = -0.4, g = 1.1, o = 0.15
    const c1 = sigmoid(0.7) * Math.tanh(1.1);
    const h1 = sigmoid(0.15) * Math.tanh(c1);
    // t2 (x = -1): i = -0.5 + 0.2 + 0.1 h1, f = 0.5 + 0.1 + 0.2 h1, g = -1 + 0.1 - 0.3 h1, o = -0.25 - 0.1 + 0.4 h1
    const c2 = sigmoid(0.6 + 0.2 * h1) * c1 + sigmoid(-0.3 + 0.1 * h1) * Math.tanh(-0.9 - 0.3 * h1);
    const h2 = sigmoid(-0.35 + 0.4 * h1) * Math.tanh(c2);
    const got = Array.from(out.dataSync());
    expect(got[0]).toBeCloseTo(h1, 6);
    expect(got[1]).toBeCloseTo(h2, 6);
    out.dispose();
    store.dispose();
  });

  it('has 4·hidden·(in + hidden + 2) parameters, as nn.LSTM', () => {
    const store = createParamStore('test', 1);
    createLstmCell(store, { path: 'c', inputSize: 3, hiddenSize: 5 });
    expect(countParameters(store.variables)).toBe(4 * 5 * (3 + 5 + 2));
    store.dispose();
  });
});

describe('GRU cell (r|z|n gates, as nn.GRU)', () => {
  it('one step from h = 0.5 with x = 1: r gates the candidate after its recurrent bias', () => {
    const store = createParamStore('test', 1);
    const cell = createGruCell(store, { path: 'c', inputSize: 1, hiddenSize: 1 });
    setWeights(cell, { ih: [0.5, -1, 2], hh: [0.3, 0.1, -0.4], bih: [0.1, 0, 0.2], bhh: [0, 0.2, 0.5] });
    const [h] = cell.step(tf.tensor2d([[1]]), [tf.tensor2d([[0.5]])]);
    const r = sigmoid(0.5 + 0.1 + 0.15); // x W_ir + b_ir + h W_hr + b_hr
    const z = sigmoid(-1 + 0.05 + 0.2);
    const n = Math.tanh(2 + 0.2 + r * (-0.2 + 0.5)); // r·(h W_hn + b_hn)
    expect(h!.dataSync()[0]).toBeCloseTo((1 - z) * n + z * 0.5, 6);
    h!.dispose();
    store.dispose();
  });

  it('has 3·hidden·(in + hidden + 2) parameters, as nn.GRU', () => {
    const store = createParamStore('test', 1);
    createGruCell(store, { path: 'c', inputSize: 3, hiddenSize: 5 });
    expect(countParameters(store.variables)).toBe(3 * 5 * (3 + 5 + 2));
    store.dispose();
  });
});
