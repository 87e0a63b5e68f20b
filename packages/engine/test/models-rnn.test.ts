import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createElmanCell, type ElmanCell } from '../src/models/recurrent/elman-cell.js';
import { unrollLayer, unrollStack } from '../src/models/recurrent/unroll.js';
import { MODELS } from '../src/models/registry.js';
import { countParameters, createParamStore } from '../src/nn/params.js';
import { createForwardContext } from '../src/nn/forward-context.js';
import { Rng } from '@nflab/contracts';
import { dims, disposeBatch, randomBatch, useCpu } from './models-fixtures.js';

beforeAll(useCpu);

/** A 1-input, 2-unit tanh cell with hand-set weights (stored transposed: [in, out]). */
function handCell(): { cell: ElmanCell; dispose: () => void } {
  const store = createParamStore('test', 1);
  const cell = createElmanCell(store, { path: 'cell', inputSize: 1, hiddenSize: 2 });
  cell.weightIh.assign(tf.tensor2d([[0.5, -1]]));
  cell.weightHh.assign(
    tf.tensor2d([
      [0.1, 0.2],
      [0.3, 0.4],
    ]),
  );
  cell.biasIh?.assign(tf.tensor1d([0.1, 0]));
  cell.biasHh?.assign(tf.tensor1d([0, -0.1]));
  return { cell, dispose: () => store.dispose() };
}

describe('Elman cell (recurrent building block)', () => {
  it('one step: tanh(x W_ih + b_ih + h W_hh + b_hh)', () => {
    const { cell, dispose } = handCell();
    const [out] = cell.step(tf.tensor2d([[1]]), [tf.tensor2d([[0.5, -0.5]])]);
    // unit 0: 1*0.5 + 0.1 + (0.5*0.1 + -0.5*0.3) + 0 = 0.5
    // unit 1: 1*-1 + 0 + (0.5*0.2 + -0.5*0.4) - 0.1 = -1.2
    const got = Array.from(out!.dataSync());
    expect(got[0]).toBeCloseTo(Math.tanh(0.5), 6);
    expect(got[1]).toBeCloseTo(Math.tanh(-1.2), 6);
    out!.dispose();
    dispose();
  });

  it('3-step unroll from a zero state over x = [1, 0, -2]', () => {
    const { cell, dispose } = handCell();
    const states = unrollLayer(cell, tf.tensor3d([[[1], [0], [-2]]]));
    expect(states.shape).toEqual([1, 3, 2]);
    // t1: pre = [0.5 + 0.1, -1 - 0.1] = [0.6, -1.1]
    const a1 = Math.tanh(0.6);
    const b1 = Math.tanh(-1.1);
    // t2 (x = 0): pre = [0.1 + 0.1 a1 + 0.3 b1, 0.2 a1 + 0.4 b1 - 0.1]
    const a2 = Math.tanh(0.1 + 0.1 * a1 + 0.3 * b1);
    const b2 = Math.tanh(0.2 * a1 + 0.4 * b1 - 0.1);
    // t3 (x = -2): pre = [-1 + 0.1 + 0.1 a2 + 0.3 b2, 2 + 0.2 a2 + 0.4 b2 - 0.1]
    const a3 = Math.tanh(-0.9 + 0.1 * a2 + 0.3 * b2);
    const b3 = Math.tanh(1.9 + 0.2 * a2 + 0.4 * b2);
    const got = Array.from(states.dataSync());
    [a1, b1, a2, b2, a3, b3].forEach((want, i) => expect(got[i]).toBeCloseTo(want, 6));
    // A one-layer stack is the layer itself (no dropout after the last layer).
    const ctx = createForwardContext({ training: true, seed: 3 }, new Rng(1));
    const stacked = unrollStack([cell], tf.tensor3d([[[1], [0], [-2]]]), 0.5, ctx);
    expect(Array.from(stacked.dataSync())).toEqual(got);
    tf.dispose([states, stacked]);
    dispose();
  });

  it('draws every weight from U(-1/sqrt(hidden), 1/sqrt(hidden)) like nn.RNN', () => {
    const store = createParamStore('test', 5);
    createElmanCell(store, { path: 'c', inputSize: 3, hiddenSize: 4 });
    const names = store.variables.map((v) => v.name.split('/').slice(-2).join('/'));
    expect(names).toEqual(['ih/kernel', 'hh/kernel', 'ih/bias', 'hh/bias']); // PyTorch's order
    for (const v of store.variables) expect(tf.max(tf.abs(v)).dataSync()[0]).toBeLessThanOrEqual(0.5);
    store.dispose();
  });
});

describe('RNN model', () => {
  it("has NeuralForecast's 66,433 parameters at its defaults (h=12, input_size=24)", () => {
    const config = MODELS.rnn.configSchema.parse({});
    const net = MODELS.rnn.build(config, dims({ h: 12, inputSize: 24 }), 1);
    // encoder: (1*128 + 128*128 + 2*128) + (2*128*128 + 2*128); decoder: 128*128 + 128 + 128 + 1
    expect(countParameters(net.variables)).toBe(16_768 + 33_024 + 16_641);
    net.dispose();
  });

  it('upsamples the states over time when h > input_size, and takes all exogenous kinds', () => {
    const d = dims({ h: 6, inputSize: 4, futrExogSize: 2, histExogSize: 1, statExogSize: 3 });
    const config = MODELS.rnn.configSchema.parse({ encoder_hidden_size: 4, decoder_hidden_size: 4 });
    const net = MODELS.rnn.build(config, d, 1);
    const batch = randomBatch(d, 5);
    const out = net.forward(batch, { training: false });
    expect(out.shape).toEqual([5, 6, 1]);
    expect(net.variables.some((v) => v.name.endsWith('upsample_sequence/kernel'))).toBe(true);
    tf.dispose(out);
    disposeBatch(batch);
    net.dispose();
  });
});
