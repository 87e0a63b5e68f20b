import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@nflab/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { commonConfigSchema } from '../src/config/common.js';
import { resolveModel } from '../src/core/fitted-model.js';
import { createLoss } from '../src/losses/index.js';
import type { ModelNetwork } from '../src/model/types.js';
import { deepar } from '../src/models/deepar/deepar.js';
import { countParameters } from '../src/nn/params.js';
import { forecastWindows } from '../src/training/inference.js';
import { checkValidLoss, validationLoss } from '../src/training/outputs.js';
import type { PreparedBatch } from '../src/training/prepare-batch.js';
import { stepFeedback, windowShapes } from '../src/training/recurrent.js';
import type { RawWindows } from '../src/windows/assemble.js';
import type { WindowSource } from '../src/windows/source.js';
import { dims, useCpu } from './models-fixtures.js';

beforeAll(useCpu);

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * A one-layer, one-unit DeepAR with inputs [y, futr] and hand-set weights: W_hh = 0 and a forget
 * bias of -100 (σ ≈ 0) make every state a function of its own step's input only,
 *   h = σ(y) · tanh(σ(y) · tanh(y + 2 f)),
 * and the decoder Linear(1, 1) is the identity, so output j shows which y and futr step j read.
 */
function handNet(): ModelNetwork {
  const net = deepar.build(
    deepar.configSchema.parse({ lstm_n_layers: 1, lstm_hidden_size: 1, lstm_dropout: 0 }),
    dims({ h: 3, inputSize: 3, futrExogSize: 1 }),
    1,
  );
  const [wIh, wHh, bIh, bHh, dW, dB] = net.variables as tf.Variable[];
  // Gate columns i | f | g | o; rows y, futr.
  wIh!.assign(
    tf.tensor2d([
      [1, 0, 1, 1],
      [0, 0, 2, 0],
    ]),
  );
  wHh!.assign(tf.zeros([1, 4]));
  bIh!.assign(tf.tensor1d([0, -100, 0, 0]));
  bHh!.assign(tf.zeros([4]));
  dW!.assign(tf.ones([1, 1]));
  dB!.assign(tf.zeros([1]));
  return net;
}

const stepValue = (y: number, f: number): number => sigmoid(y) * Math.tanh(sigmoid(y) * Math.tanh(y + 2 * f));

describe('DeepAR parameters', () => {
  it("equal NeuralForecast's 199,560 at its defaults (h=12, input_size=24, StudentT)", () => {
    const net = deepar.build(deepar.configSchema.parse({}), dims({ h: 12, inputSize: 24, nOutputs: 3 }), 1);
    // nn.LSTM layer: 4·hidden·(in + hidden) weights + 2·4·hidden biases.
    // layer 0 (in 1): 512·129 + 1_024 = 67_072; layer 1 (in 128): 512·256 + 1_024 = 132_096.
    // decoder Linear(128, 3) = 387. Total trainable: 199_555.
    expect(countParameters(net.variables)).toBe(67_072 + 132_096 + 387);
    // NeuralForecast's count also holds DistributionLoss(level=[80, 90])'s 5 quantiles, an
    // nn.Parameter(requires_grad=False) of the loss module: 199_555 + 5 = 199_560.
    expect(countParameters(net.variables) + 5).toBe(199_560);
    // futr 2 + stat 1 widen the first layer's input to 4: + 512·3 weights.
    const exog = deepar.build(
      deepar.configSchema.parse({}),
      dims({ h: 12, inputSize: 24, nOutputs: 3, futrExogSize: 2, statExogSize: 1 }),
      1,
    );
    expect(countParameters(exog.variables)).toBe(199_555 + 512 * 3);
    // Two decoder hidden layers of 16: Linear(128,16) + Linear(16,16) + Linear(16,3) = 2_064 + 272 + 51.
    const deep = deepar.build(
      deepar.configSchema.parse({ decoder_hidden_layers: 2, decoder_hidden_size: 16 }),
      dims({ h: 12, inputSize: 24, nOutputs: 3 }),
      1,
    );
    expect(countParameters(deep.variables)).toBe(199_168 + 2_064 + 272 + 51);
    [net, exog, deep].forEach((n) => n.dispose());
  });

  it('refuses hist_exog_list and a zero-width decoder hidden layer with ConfigErrors', () => {
    const parse = deepar.configSchema.parse.bind(deepar.configSchema);
    expect(() => deepar.build(parse({}), dims({ h: 2, inputSize: 4, histExogSize: 1 }), 1)).toThrow(
      /DeepAR does not accept hist_exog_list.*futr_exog_list, stat_exog_list/,
    );
    expect(() => deepar.build(parse({ decoder_hidden_layers: 1 }), dims({ h: 2, inputSize: 4 }), 1)).toThrow(
      ConfigError,
    );
  });
});

describe('models that forecast from the insample y', () => {
  it('DeepAR and DeepNPTS refuse exclude_insample_y, as NeuralForecast, with a ConfigError naming the fix', () => {
    for (const id of ['deepar', 'deepnpts']) {
      const resolve = (): unknown =>
        resolveModel({ id, config: { h: 2, input_size: 4, exclude_insample_y: true } }, id);
      expect(resolve).toThrow(ConfigError);
      expect(resolve).toThrow(/cannot exclude the insample y.*set exclude_insample_y to false/);
    }
    expect(
      resolveModel({ id: 'mlp', config: { h: 2, input_size: 4, exclude_insample_y: true } }, 'mlp').name,
    ).toBe('mlp');
  });
});

describe('DeepAR windows and teacher forcing', () => {
  it('declares input_size + 1 inputs, h_train training steps and trajectory_samples draws', () => {
    const net = deepar.build(
      deepar.configSchema.parse({ h_train: 2, trajectory_samples: 7, lstm_hidden_size: 2 }),
      dims({ h: 5, inputSize: 10 }),
      1,
    );
    expect(net.recurrent).toEqual({ inputSize: 11, predictInputSize: 11, trainH: 2, samples: 7 });
    const config = commonConfigSchema.parse({ h: 5, input_size: 10 });
    expect(windowShapes(config, net)).toEqual({
      train: {
        inputSize: 11,
        h: 2,
        rightPadding: 5,
        sizes: 'input_size 10 + 1 + h_train 2 (recurrent windows)',
      },
      validate: { inputSize: 11, h: 5 },
      predict: { inputSize: 11, h: 5 },
    });
    net.dispose();
  });

  it('step j reads y shifted by one (the window, then the true horizon) and the futr of the step it predicts', () => {
    const net = handNet();
    const insample = [0.5, -1, 2];
    const target = [1.5, -0.5, 3];
    const futr = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]; // window positions 0..5; the horizon is 3..5
    const batch = {
      insampleY: tf.tensor3d([insample.map((v) => [v])]),
      insampleMask: tf.ones([1, 3, 1]) as tf.Tensor3D,
      futrExog: tf.tensor3d([futr.map((v) => [v])]),
    };
    const out = net.forward(batch, {
      training: true,
      seed: 1,
      target: tf.tensor3d([target.map((v) => [v])]),
    });
    expect(out.shape).toEqual([1, 3, 1]);
    // Output j predicts window position 3 + j: it reads y at 2 + j and futr at 3 + j.
    const want = [stepValue(2, 0.4), stepValue(1.5, 0.5), stepValue(-0.5, 0.6)];
    Array.from(out.dataSync()).forEach((v, j) => expect(v).toBeCloseTo(want[j] as number, 6));
    // One training step (h_train = 1) is the last window step alone.
    const one = net.forward(batch, { training: true, target: tf.tensor3d([[[9]]]) });
    expect(one.dataSync()[0]).toBeCloseTo(stepValue(2, 0.4), 6);
    net.dispose();
  });

  it("rolls the horizon out feeding each step's feedback back as the next y", () => {
    const net = handNet();
    const batch = {
      insampleY: tf.tensor3d([[[0.5], [-1], [2]]]),
      insampleMask: tf.ones([1, 3, 1]) as tf.Tensor3D,
      futrExog: tf.tensor3d([[[0.1], [0.2], [0.3], [0.4], [0.5], [0.6]]]),
    };
    const fed: number[] = [];
    const out = net.forward(batch, {
      training: false,
      feedback: (raw) => {
        const value = (raw.dataSync()[0] as number) - 1;
        fed.push(value);
        return tf.tensor3d([[[value]]]);
      },
    });
    const y0 = stepValue(2, 0.4);
    const y1 = stepValue(y0 - 1, 0.5);
    const y2 = stepValue(y1 - 1, 0.6);
    Array.from(out.dataSync()).forEach((v, j) => expect(v).toBeCloseTo([y0, y1, y2][j] as number, 6));
    // The last step's outputs are never fed back.
    expect(fed.map((v) => Number(v.toFixed(6)))).toEqual([y0 - 1, y1 - 1].map((v) => Number(v.toFixed(6))));
    net.dispose();
  });

  it("feeds back a distribution's mean in the scaled space, and a point loss's mean output", () => {
    const scale = { loc: tf.tensor3d([[[10]]]), scale: tf.tensor3d([[[2]]]) };
    const raw = tf.tensor3d([[[0.3, 1.5, -0.2]]]); // StudentT raw df, loc, scale
    const studentT = stepFeedback(createLoss({ id: 'distributionloss', distribution: 'StudentT' }), scale);
    // mean = 1.5 · 2 + 10 = 13 -> scaled (13 - 10) / 2 = 1.5
    expect(studentT(raw).dataSync()[0]).toBeCloseTo(1.5, 6);
    const poisson = stepFeedback(createLoss({ id: 'distributionloss', distribution: 'Poisson' }), scale);
    // rate = softplus(0.7 · 2 + 10) + 1e-10 -> (rate - 10) / 2
    const rate = Math.log1p(Math.exp(11.4));
    expect(poisson(tf.tensor3d([[[0.7]]])).dataSync()[0]).toBeCloseTo((rate - 10) / 2, 4);
    const mq = stepFeedback(createLoss({ id: 'mqloss', level: [80] }), scale);
    expect(mq(tf.tensor3d([[[1, 2, 6]]])).dataSync()[0]).toBeCloseTo(3, 6);
  });
});

/** Student's t quantile for 4 degrees of freedom, in closed form. */
const t4Quantile = (p: number): number => {
  const alpha = 4 * p * (1 - p);
  const q = Math.cos(Math.acos(Math.sqrt(alpha)) / 3) / Math.sqrt(alpha);
  return Math.sign(p - 0.5) * 2 * Math.sqrt(q - 1);
};

/** Student's t density for 4 degrees of freedom: 3/8 · (1 + t²/4)^(-5/2). */
const t4Density = (t: number): number => 0.375 * Math.pow(1 + (t * t) / 4, -2.5);

describe('DeepAR sampling at predict', () => {
  const invSoftplus = (v: number): number => Math.log(Math.expm1(v));

  /** A network whose every step's StudentT is df 4, loc 1.5, scale 1 (zero LSTM, decoder bias only). */
  function fixedStudentT(samples: number): ModelNetwork {
    const net = deepar.build(
      deepar.configSchema.parse({ lstm_n_layers: 1, lstm_hidden_size: 2, trajectory_samples: samples }),
      dims({ h: 4, inputSize: 6, nOutputs: 3 }),
      1,
    );
    const variables = net.variables as tf.Variable[];
    variables.forEach((v) => v.assign(tf.zerosLike(v)));
    // df = 3 + softplus(raw) = 4; loc = raw · 1 + 0; scale = softplus(raw) + 0.1 = 1 (identity scaler).
    variables.at(-1)!.assign(tf.tensor1d([invSoftplus(1), 1.5, invSoftplus(0.9)]));
    return net;
  }

  const source = (): WindowSource => ({
    y: Float64Array.from({ length: 10 }, (_, i) => Math.sin(i)),
    mask: new Float64Array(10).fill(1),
    futr: [],
    hist: [],
    stat: [],
  });

  const predict = async (net: ModelNetwork): Promise<{ values: Float32Array; names: readonly string[] }> => {
    const loss = createLoss({ id: 'distributionloss', distribution: 'StudentT', level: [80, 90] });
    const config = commonConfigSchema.parse({ h: 4, input_size: 6, random_seed: 5 });
    // The horizon starts at position 10: the window reads positions 3..9 (input_size + 1 = 7).
    const values = await forecastWindows({
      network: net,
      config,
      loss,
      sources: [source()],
      refs: [{ series: 0, start: 3, limit: 10 }],
    });
    return { values, names: loss.outputNames };
  };

  it("each step's sampled quantiles converge to the distribution's; the point column is its mean", async () => {
    const n = 20_000;
    const net = fixedStudentT(n);
    const { values, names } = await predict(net);
    expect(names).toEqual(['', '-median', '-lo-90', '-lo-80', '-hi-80', '-hi-90']);
    const quantiles = [0.5, 0.05, 0.1, 0.9, 0.95];
    for (let step = 0; step < 4; step += 1) {
      const row = values.subarray(step * 6, step * 6 + 6);
      // NeuralForecast's recurrent predict reports the analytic mean (loc), not the sample mean.
      expect(row[0]).toBeCloseTo(1.5, 5);
      quantiles.forEach((p, k) => {
        const t = t4Quantile(p);
        // The sample p-quantile of n draws has standard deviation sqrt(p(1-p)/n) / density(t_p)
        // (0.009 at the median, 0.027 at 0.05/0.95 for n = 20,000); 4 of them bound a seeded draw.
        const tolerance = (4 * Math.sqrt((p * (1 - p)) / n)) / t4Density(t);
        expect(Math.abs((row[k + 1] as number) - (1.5 + t)), `step ${step} q ${p}`).toBeLessThan(tolerance);
      });
    }
    net.dispose();
  });

  it('draws trajectory_samples per step, not the loss num_samples: one draw collapses every quantile', async () => {
    const net = fixedStudentT(1);
    const { values } = await predict(net);
    for (let step = 0; step < 4; step += 1) {
      const row = Array.from(values.subarray(step * 6 + 1, step * 6 + 6));
      expect(new Set(row).size).toBe(1);
    }
    net.dispose();
  });
});

describe("validation of a distribution loss with MQLoss (AutoDeepAR's valid_loss)", () => {
  const studentT = createLoss({ id: 'distributionloss', distribution: 'StudentT', level: [80, 90] });

  it('accepts MQLoss over the same quantiles and refuses other ones', () => {
    expect(() => checkValidLoss(studentT, createLoss({ id: 'mqloss', level: [80, 90] }))).not.toThrow();
    expect(() => checkValidLoss(studentT, createLoss({ id: 'mqloss', level: [80] }))).toThrow(ConfigError);
    expect(() => checkValidLoss(studentT, createLoss({ id: 'mqloss', level: [70, 90] }))).toThrow(
      /same level or quantiles/,
    );
  });

  it('scores the quantiles sampled from the distribution, not its mean', () => {
    // Every step is StudentT(df 4, loc 1, scale 1) and y = 1 = the mean, so a mean-based score is 0.
    // On the quantiles t_q: the median scores 0, q = 0.05 and 0.1 score q·|t_q| (y above them),
    // 0.9 and 0.95 score (1 - q)·t_q; MQLoss averages the five: (0.1·2.1318 + 0.2·1.5332) / 5.
    const expected = (0.1 * t4Quantile(0.95) + 0.2 * t4Quantile(0.9)) / 5; // 0.10396
    const loss = createLoss({ id: 'distributionloss', distribution: 'StudentT', num_samples: 20_000 });
    const scale = { loc: tf.zeros([1, 1, 1]) as tf.Tensor3D, scale: tf.ones([1, 1, 1]) as tf.Tensor3D };
    const raw = {
      insampleY: tf.ones([1, 2, 1]),
      insampleMask: tf.ones([1, 2, 1]),
      outsampleY: tf.ones([1, 2, 1]),
      outsampleMask: tf.ones([1, 2, 1]),
    } as RawWindows;
    const prepared = {
      batch: { insampleY: raw.insampleY, insampleMask: raw.insampleMask },
      scale,
      outsampleScaled: raw.outsampleY,
      insampleScaled: raw.insampleY,
    } as PreparedBatch;
    const step = [Math.log(Math.expm1(1)), 1, Math.log(Math.expm1(0.9))]; // raw df, loc, scale
    const value = validationLoss({
      loss,
      validLoss: createLoss({ id: 'mqloss', level: [80, 90] }),
      raw,
      prepared,
      output: tf.tensor3d([[step, step]]),
      seed: 1,
    });
    // Sampling error of the tail quantiles with 20,000 draws, weighted 0.02-0.04: sd ≈ 0.0013.
    expect(Math.abs((value.dataSync()[0] as number) - expected)).toBeLessThan(0.006);
  });
});
