/**
 * The recurrent form (`recurrent: true`) of RNN, GRU and LSTM: NeuralForecast 3.x's parameter
 * counts, hand-computed teacher-forced and rolled-out forwards (which exogenous row each step reads),
 * the projected LSTM cell, window geometry, and the conformance suite.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@nflab/contracts';
import { commonConfigSchema, parseCommonConfig } from '../src/config/common.js';
import { NeuralForecast } from '../src/core/neural-forecast.js';
import { createLoss } from '../src/losses/registry.js';
import type { ModelNetwork, WindowBatch } from '../src/model/types.js';
import { getUnivariateModelSpec, MODELS } from '../src/models/registry.js';
import { countParameters } from '../src/nn/params.js';
import { checkModel } from '../src/testing/check-model.js';
import { windowShapes } from '../src/training/recurrent.js';
import { trainNetwork } from '../src/training/train.js';
import type { WindowSource } from '../src/windows/source.js';
import { dims, disposeBatch, randomBatch, useCpu } from './models-fixtures.js';
import { assignWeights, sigmoid } from './models-recurrent-fixtures.js';
import { SMALL_CONFIGS } from './models-small-configs.js';

beforeAll(useCpu);

describe('recurrent form: parameters', () => {
  const d = dims({ h: 12, inputSize: 24 });
  it('RNN: nn.RNN(1 → 128, 2 layers) + proj Linear(128, 1), no MLP decoder', () => {
    const net = MODELS.rnn.build(MODELS.rnn.configSchema.parse({ recurrent: true }), d, 1);
    // Elman layer: hidden·(in + hidden) + 2·hidden. Layer 0: 128·129 + 256; layer 1: 128·256 + 256.
    expect(countParameters(net.variables)).toBe(16_768 + 33_024 + 129);
    net.dispose();
  });

  it('GRU: nn.GRU(1 → 200, 2 layers) + proj Linear(200, 1)', () => {
    const net = MODELS.gru.build(MODELS.gru.configSchema.parse({ recurrent: true }), d, 1);
    // GRU layer: 3·hidden·(in + hidden) + 6·hidden; NeuralForecast's GRU defaults to 200 units.
    expect(countParameters(net.variables)).toBe(3 * 200 * 201 + 1_200 + 3 * 200 * 400 + 1_200 + 201);
    net.dispose();
  });

  it('LSTM: nn.LSTM(1 → 128, 2 layers, proj_size=1), nothing after it', () => {
    const net = MODELS.lstm.build(MODELS.lstm.configSchema.parse({ recurrent: true }), d, 1);
    // Per layer: W_ih 4H·in + W_hh 4H·P + 8H biases + W_hr P·H, P = 1, and layer 1 reads P.
    const layer = 512 * 1 + 512 * 1 + 1_024 + 128;
    expect(countParameters(net.variables)).toBe(2 * layer);
    // A distribution loss with 3 outputs widens the projection (and layer 1's input) to 3.
    const wide = MODELS.lstm.build(
      MODELS.lstm.configSchema.parse({ recurrent: true }),
      { ...d, nOutputs: 3 },
      1,
    );
    expect(countParameters(wide.variables)).toBe(
      512 * 1 + 512 * 3 + 1_024 + 128 * 3 + (512 * 3 + 512 * 3 + 1_024 + 128 * 3),
    );
    net.dispose();
    wide.dispose();
  });
});

describe('recurrent form: window geometry', () => {
  it('trains on input_size + 1 and h_train, predicts on inference_input_size + 1', () => {
    const common = commonConfigSchema.parse({ h: 4, input_size: 8 });
    const net = MODELS.rnn.build(
      MODELS.rnn.configSchema.parse({
        recurrent: true,
        h_train: 2,
        inference_input_size: 5,
        encoder_hidden_size: 2,
      }),
      dims({ h: 4, inputSize: 8 }),
      1,
    );
    expect(windowShapes(common, net)).toEqual({
      train: {
        inputSize: 9,
        h: 2,
        rightPadding: 4,
        sizes: 'input_size 8 + 1 + h_train 2 (recurrent windows)',
      },
      validate: { inputSize: 9, h: 4 },
      predict: { inputSize: 6, h: 4 },
    });
    net.dispose();
    const unset = MODELS.rnn.build(
      MODELS.rnn.configSchema.parse({ recurrent: true, encoder_hidden_size: 2 }),
      dims({ h: 4, inputSize: 8 }),
      1,
    );
    expect(unset.recurrent?.predictInputSize).toBe(9); // null means input_size, as NeuralForecast
    unset.dispose();
  });
});

/**
 * What one training run fed a recurrent RNN: the first input value of each window (the series is
 * 100 + t and unscaled, so it names the window's start) and each step's teacher-forced horizon.
 */
async function trainedWindows(hTrain: number, extra: Record<string, unknown> = {}) {
  const y = Float64Array.from({ length: 12 }, (_, t) => 100 + t);
  const source: WindowSource = { y, mask: new Float64Array(12).fill(1), futr: [], hist: [], stat: [] };
  const config = parseCommonConfig(
    { h: 2, input_size: 4, max_steps: 3, windows_batch_size: 64, scaler_type: 'identity', ...extra },
    { modelName: 'rnn' },
  );
  const net = MODELS.rnn.build(
    MODELS.rnn.configSchema.parse({
      recurrent: true,
      h_train: hTrain,
      encoder_n_layers: 1,
      encoder_hidden_size: 2,
    }),
    dims({ h: 2, inputSize: 4 }),
    1,
  );
  const starts = new Set<number>();
  const targets: number[][] = [];
  const insample: number[][] = [];
  const spy: ModelNetwork = {
    ...net,
    forward(batch, options) {
      if (options.training && options.target) {
        const x = batch.insampleY.arraySync();
        x.forEach((w) => starts.add((w[0]?.[0] ?? NaN) - 100));
        insample.push(...x.map((w) => w.map((v) => v[0] ?? NaN)));
        targets.push(...options.target.arraySync().map((w) => w.map((v) => v[0] ?? NaN)));
      }
      return net.forward(batch, options);
    },
  };
  const loss = createLoss(config.loss);
  try {
    await trainNetwork({ modelName: 'rnn', network: spy, config, loss, validLoss: loss, sources: [source] });
  } finally {
    net.dispose();
  }
  return { starts: [...starts].sort((a, b) => a - b), targets, insample };
}

describe('recurrent form: h_train and the training windows', () => {
  // Series of 12, input_size 4, h 2. NeuralForecast unfolds windows of input_size + 1 + h_train over
  // the series right-padded with h (not h_train) zeros, and keeps those with an observed horizon point.
  it('h_train 1: windows of 5 + 1, starts 0..6, each teacher-forced on its one next value', async () => {
    const { starts, targets, insample } = await trainedWindows(1);
    expect(starts).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(insample.every((w) => w.length === 5)).toBe(true);
    insample.forEach((w, i) => expect(targets[i]).toEqual([w[4]! + 1]));
  });

  it('h_train 5: windows of 5 + 5 over 12 + 2 padded points start at 0..4 only', async () => {
    const { starts, targets, insample } = await trainedWindows(5);
    // Padding with h_train would also give starts 5 and 6 (horizons running 3 and 4 points past the end).
    expect(starts).toEqual([0, 1, 2, 3, 4]);
    insample.forEach((w, i) => {
      const next = w[4]! + 1;
      expect(targets[i]).toEqual(
        [next, next + 1, next + 2, next + 3, next + 4].map((v) => (v <= 111 ? v : 0)),
      );
    });
  });

  it('exclude_insample_y zeroes the teacher-forced horizon with the window, as NeuralForecast', async () => {
    const { targets, insample } = await trainedWindows(3, { exclude_insample_y: true });
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.flat().every((v) => v === 0)).toBe(true);
    expect(insample.flat().every((v) => v === 0)).toBe(true);
  });

  it('raises a ConfigError, as NeuralForecast does, when the padded series is shorter than one window', async () => {
    const df = Array.from({ length: 6 }, (_, t) => ({
      unique_id: 'a',
      ds: new Date(Date.UTC(2020, 0, 1 + t)).toISOString().slice(0, 10),
      y: t,
    }));
    const model = (recurrent: boolean) => ({
      id: 'rnn',
      config: { h: 2, input_size: 4, max_steps: 1, recurrent, h_train: 5, encoder_hidden_size: 2 },
    });
    // 6 points + 2 of padding: NeuralForecast's "Time series is too short for training" (window 5 + 5).
    const recurrentNf = new NeuralForecast({ models: [model(true)], freq: 'D' });
    const error = await recurrentNf.fit({ df }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(String(error)).toMatch(/too short for input_size 4 \+ 1 \+ h_train 5 \(recurrent windows\)/);
    recurrentNf.dispose();
    // The direct form's windows of 4 + 2 fit in the same series.
    const direct = new NeuralForecast({ models: [model(false)], freq: 'D' });
    await direct.fit({ df });
    direct.dispose();
  });
});

/**
 * A one-unit, one-layer RNN with inputs [y, hist, futr] and hand-set weights, so each step's state
 * is written out by hand: h_t = tanh(a·y_t + b·x_t + c·f_t + u·h_{t-1} + β), output = p·h + q.
 */
const W = { a: 0.8, b: -0.6, c: 0.4, u: 0.5, beta: 0.1, p: 1.5, q: -0.2 };

function handRnn(): ModelNetwork {
  const net = MODELS.rnn.build(
    MODELS.rnn.configSchema.parse({ recurrent: true, encoder_n_layers: 1, encoder_hidden_size: 1 }),
    dims({ h: 2, inputSize: 2, histExogSize: 1, futrExogSize: 1 }),
    1,
  );
  assignWeights(net, {
    'hist_encoder/layer_0/ih/kernel': [[W.a], [W.b], [W.c]],
    'hist_encoder/layer_0/hh/kernel': [[W.u]],
    'hist_encoder/layer_0/ih/bias': [W.beta],
    'hist_encoder/layer_0/hh/bias': [0],
    'proj/kernel': [[W.p]],
    'proj/bias': [W.q],
  });
  return net;
}

// One window of input_size + 1 = 3 steps and 2 horizon steps.
const y = [0.3, -0.5, 0.9];
const hist = [0.7, -0.2, 0.4]; // only rows 1 and 2 are read; the horizon's hist is zero
const futr = [0.1, 0.6, -0.3, 0.8, -0.7]; // rows 1 … 4 are read

const handBatch = (): WindowBatch => ({
  insampleY: tf.tensor3d([y.map((v) => [v])]),
  insampleMask: tf.ones([1, 3, 1]) as tf.Tensor3D,
  histExog: tf.tensor3d([hist.map((v) => [v])]),
  futrExog: tf.tensor3d([futr.map((v) => [v])]),
});

/** Runs the hand RNN over (y_t, hist row, futr row) triples; returns every step's output. */
function handOutputs(inputs: readonly (readonly [number, number, number])[]): number[] {
  let h = 0;
  return inputs.map(([yt, xt, ft]) => {
    h = Math.tanh(W.a * yt + W.b * xt + W.c * ft + W.u * h + W.beta);
    return W.p * h + W.q;
  });
}

describe('recurrent form: hand-computed RNN', () => {
  it('rolls out: step t reads y_t with the exogenous row of t + 1, horizon hist zeroed, forecasts fed back', () => {
    const net = handRnn();
    const batch = handBatch();
    const out = net.forward(batch, { training: false });
    // Encoding the window: y_0..y_2 with hist rows 1, 2 and the (zeroed) first horizon row, futr rows 1..3.
    const window = handOutputs([
      [y[0]!, hist[1]!, futr[1]!],
      [y[1]!, hist[2]!, futr[2]!],
      [y[2]!, 0, futr[3]!],
    ]);
    const first = window[2]!;
    // The next step reads the first forecast (the mean of one output), zero hist and futr row 4.
    const second = handOutputs([
      [y[0]!, hist[1]!, futr[1]!],
      [y[1]!, hist[2]!, futr[2]!],
      [y[2]!, 0, futr[3]!],
      [first, 0, futr[4]!],
    ])[3]!;
    expect(out.shape).toEqual([1, 2, 1]);
    const got = out.dataSync();
    expect(got[0]).toBeCloseTo(first, 6);
    expect(got[1]).toBeCloseTo(second, 6);
    tf.dispose(out);
    disposeBatch(batch);
    net.dispose();
  });

  it('trains by teacher forcing: the true horizon shifted by one, the last h_train outputs', () => {
    const net = handRnn();
    const batch = handBatch();
    const target = tf.tensor3d([[[1.1], [-0.4]]]); // [B, h_train = 2, 1]
    const out = net.forward(batch, { training: true, target, seed: 3 });
    const want = handOutputs([
      [y[0]!, hist[1]!, futr[1]!],
      [y[1]!, hist[2]!, futr[2]!],
      [y[2]!, 0, futr[3]!],
      [1.1, 0, futr[4]!],
    ]).slice(2);
    expect(out.shape).toEqual([1, 2, 1]);
    expect(Array.from(out.dataSync())).toEqual(want.map((v) => expect.closeTo(v, 6)));
    tf.dispose([out, target]);
    disposeBatch(batch);
    net.dispose();
  });
});

describe('recurrent form: rollout against a manual loop', () => {
  // With every exogenous kind, two layers and three outputs (fed back as their mean), the rollout's
  // step t must be what a teacher-forced pass computes when it is handed the rollout's own earlier
  // forecasts as the horizon: each step's forecast is the next step's input, with the exogenous row
  // of the step it predicts, and the state carried across steps.
  const d = dims({ h: 4, inputSize: 6, futrExogSize: 2, histExogSize: 1, statExogSize: 2, nOutputs: 3 });
  for (const id of ['rnn', 'gru', 'lstm'] as const) {
    it(`${id}: each rolled-out step equals a teacher-forced pass fed the earlier forecasts`, () => {
      const spec = getUnivariateModelSpec(id);
      const net = spec.build(
        spec.configSchema.parse({ recurrent: true, encoder_n_layers: 2, encoder_hidden_size: 5 }),
        d,
        11,
      );
      const batch = randomBatch({ ...d, inputSize: d.inputSize + 1 }, 3);
      const rolled = net.forward(batch, { training: false }); // [3, 4, 3]
      const fed = tf.mean(rolled, 2, true) as tf.Tensor3D; // [3, 4, 1], the values fed back
      for (let tau = 0; tau < d.h; tau += 1) {
        const target = tf.slice(fed, [0, 0, 0], [-1, tau + 1, -1]); // step tau reads fed[0 .. tau-1]
        const forced = net.forward(batch, { training: false, target }); // [3, tau+1, 3]
        const last = tf.slice(forced, [0, tau, 0], [-1, 1, -1]);
        const want = tf.slice(rolled, [0, tau, 0], [-1, 1, -1]);
        const got = Array.from(last.dataSync());
        expect(got).toEqual(Array.from(want.dataSync()).map((v) => expect.closeTo(v, 5)));
        tf.dispose([target, forced, last, want]);
      }
      // Feeding back anything else (the forecasts + 3) changes the steps after the first.
      const shifted = tf.add(fed, 3) as tf.Tensor3D;
      const otherFed = net.forward(batch, { training: false, target: shifted });
      const diff = tf.sub(
        tf.slice(otherFed, [0, 1, 0], [-1, 3, -1]),
        tf.slice(rolled, [0, 1, 0], [-1, 3, -1]),
      );
      expect(tf.max(tf.abs(diff)).dataSync()[0]).toBeGreaterThan(1e-4);
      tf.dispose([rolled, fed, shifted, otherFed, diff]);
      disposeBatch(batch);
      net.dispose();
    });
  }
});

describe('recurrent form: projected LSTM', () => {
  it("matches PyTorch's LSTM with proj_size: the projected h is both the output and the recurrent state", () => {
    const net = MODELS.lstm.build(
      MODELS.lstm.configSchema.parse({ recurrent: true, encoder_n_layers: 1, encoder_hidden_size: 1 }),
      dims({ h: 1, inputSize: 1 }),
      1,
    );
    const wIh = [0.4, -0.3, 0.8, 0.1]; // gates i|f|g|o, one input (y)
    const wHh = [0.3, -0.2, 0.6, 0.4]; // reads the projected h
    const bias = [0.05, 0.3, -0.05, -0.1];
    const wHr = 1.7;
    assignWeights(net, {
      'hist_encoder/layer_0/ih/kernel': [wIh],
      'hist_encoder/layer_0/hh/kernel': [wHh],
      'hist_encoder/layer_0/ih/bias': bias,
      'hist_encoder/layer_0/hh/bias': [0, 0, 0, 0],
      'hist_encoder/layer_0/hr/kernel': [[wHr]],
    });
    const values = [0.5, -1];
    let h = 0;
    let c = 0;
    for (const v of values) {
      const pre = [0, 1, 2, 3].map((g) => v * wIh[g]! + h * wHh[g]! + bias[g]!);
      c = sigmoid(pre[1]!) * c + sigmoid(pre[0]!) * Math.tanh(pre[2]!);
      h = wHr * sigmoid(pre[3]!) * Math.tanh(c);
    }
    const batch: WindowBatch = {
      insampleY: tf.tensor3d([values.map((v) => [v])]),
      insampleMask: tf.ones([1, 2, 1]) as tf.Tensor3D,
    };
    const out = net.forward(batch, { training: false });
    expect(out.dataSync()[0]).toBeCloseTo(h, 6);
    tf.dispose(out);
    disposeBatch(batch);
    net.dispose();
  });
});

describe('recurrent form: conformance', () => {
  for (const id of ['rnn', 'gru', 'lstm'] as const) {
    it(`${id} with recurrent: true learns, round-trips, leaks nothing and validates exogenous columns`, async () => {
      const report = await checkModel(id, { config: { ...SMALL_CONFIGS[id], recurrent: true, h_train: 2 } });
      expect(report.mae).toBeLessThan(0.5 * report.baselineMae);
    });
  }
});
