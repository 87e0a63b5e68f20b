import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Rng } from '@nflab/contracts';
import { setBackend } from '../src/backend/backend.js';
import type { ModelDims, ModelNetwork } from '../src/model/types.js';
import { createTcnCell, createTcnStack, tcnLayerCount } from '../src/models/bitcn/tcn-cell.js';
import { MODELS } from '../src/models/registry.js';
import { gelu } from '../src/nn/activations.js';
import { createDilatedConv1d } from '../src/nn/dilated-conv1d.js';
import { createForwardContext } from '../src/nn/forward-context.js';
import { countParameters, createParamStore, logicalName } from '../src/nn/params.js';

beforeAll(async () => {
  await setBackend('wasm');
});

const evalCtx = createForwardContext({ training: false }, new Rng(1));

const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());

const expectClose = (actual: readonly number[], expected: readonly number[], digits = 5): void => {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i] as number, digits));
};

/** Builds BiTCN with NeuralForecast's defaults (plus `overrides`) for `d`. */
const build = (d: ModelDims, overrides: Record<string, unknown> = {}, seed = 1): ModelNetwork =>
  MODELS.bitcn.build(MODELS.bitcn.configSchema.parse(overrides), d, seed);

const dims = (partial: Partial<ModelDims> & Pick<ModelDims, 'h' | 'inputSize'>): ModelDims => ({
  futrExogSize: 0,
  histExogSize: 0,
  statExogSize: 0,
  nOutputs: 1,
  ...partial,
});

/** Assigns hand-set values to a network's variables by logical name (`bitcn/lin_hist/kernel`). */
const assign = (net: ModelNetwork, weights: Record<string, number[]>): void => {
  for (const [name, data] of Object.entries(weights)) {
    const variable = net.variables.find((v) => logicalName(v) === name);
    if (!variable) throw new Error(`no variable ${name}`);
    variable.assign(tf.tensor(data, variable.shape));
  }
};

describe('gelu (exact, erf form as F.gelu)', () => {
  it('matches x·Φ(x) by hand, and its gradient Φ(x) + x·φ(x)', () => {
    const x = tf.tensor1d([0, 1, -1, 2, -3, 2.5]);
    // Φ(1) = 0.8413447461, Φ(2) = 0.9772498681, Φ(-3) = 0.0013498980, Φ(2.5) = 0.9937903347.
    expectClose(values(gelu(x)), [0, 0.8413447461, -0.1586552539, 1.9544997361, -0.0040496941, 2.4844758367]);
    // φ(1) = 0.2419707245: d/dx at 1 = 0.8413447461 + 0.2419707245, at -1 = 0.1586552539 - 0.2419707245.
    const grad = tf.grad((v: tf.Tensor) => tf.sum(gelu(v)))(tf.tensor1d([-1, 0, 1]));
    expectClose(values(grad), [-0.0833154706, 0.5, 1.0833154706]);
    tf.dispose([x, grad]);
  });
});

describe('createDilatedConv1d, forward mode (anti-causal, zero padding on the right)', () => {
  /** C_in = 2, C_out = 1, K = 2, dilation 2; rows: tap 0 (reads x[t]) ch 0,1, tap 1 (reads x[t+2]) ch 0,1. */
  const handConv = () => {
    const store = createParamStore('bitcn-test', 1);
    const conv = createDilatedConv1d(store, {
      path: 'conv',
      inChannels: 2,
      outChannels: 1,
      kernelSize: 2,
      dilation: 2,
      mode: 'forward',
    });
    conv.linear.kernel.assign(tf.tensor2d([[1], [10], [100], [1000]]));
    conv.linear.bias?.assign(tf.tensor1d([0.5]));
    return { conv, store };
  };

  it('computes y[t] = b + W0·x[t] + W1·x[t+d] with zeros after the window, by hand', () => {
    const { conv, store } = handConv();
    // x[t] = [t+1, -(t+1)] for t = 0..4.
    const x = tf.tensor([1, -1, 2, -2, 3, -3, 4, -4, 5, -5], [1, 5, 2]) as tf.Tensor3D;
    const y = conv.apply(x);
    expect(y.shape).toEqual([1, 5, 1]);
    // t <= 2: 0.5 + (t+1) - 10(t+1) + 100(t+3) - 1000(t+3) = 0.5 - 9(t+1) - 900(t+3).
    // t = 3, 4: x[t+2] is past the end (0): 0.5 - 9(t+1).
    expect(values(y)).toEqual([-2708.5, -3617.5, -4526.5, -35.5, -44.5]);
    tf.dispose([x, y]);
    store.dispose();
  });

  it('is the time reversal of the backward (causal) conv with its taps swapped', () => {
    const store = createParamStore('bitcn-test', 5);
    const options = { inChannels: 3, outChannels: 4, kernelSize: 3, dilation: 2 } as const;
    const forward = createDilatedConv1d(store, { ...options, path: 'f', mode: 'forward' });
    const backward = createDilatedConv1d(store, { ...options, path: 'b', mode: 'backward' });
    // Tap k forward reads x[t + k·d]; reversed in time that is tap K-1-k of the causal conv.
    const taps = tf.split(forward.linear.kernel, 3, 0);
    backward.linear.kernel.assign(tf.concat(taps.reverse(), 0));
    backward.linear.bias?.assign(forward.linear.bias as tf.Variable);
    const x = tf.randomNormal([2, 9, 3], 0, 1, 'float32', 4) as tf.Tensor3D;
    const direct = forward.apply(x);
    const viaReversal = tf.reverse(backward.apply(tf.reverse(x, 1)), 1);
    expectClose(values(direct), values(viaReversal));
    tf.dispose([x, direct, viaReversal, ...taps]);
    store.dispose();
  });

  it('is anti-causal: changing inputs before t leaves outputs from t on unchanged', () => {
    const { conv, store } = handConv();
    const base = tf.randomNormal([1, 6, 2], 0, 1, 'float32', 9) as tf.Tensor3D;
    const bumped = tf.add(base, tf.concat([tf.fill([1, 3, 2], 50), tf.zeros([1, 3, 2])], 1)) as tf.Tensor3D;
    const [before, after] = [values(conv.apply(base)), values(conv.apply(bumped))];
    expect(after.slice(3)).toEqual(before.slice(3));
    expect(after.slice(0, 3).every((v, i) => v !== before[i])).toBe(true);
    tf.dispose([base, bumped]);
    store.dispose();
  });
});

describe('TCNCell and its stack', () => {
  it('adds the first half of the 1×1 conv to h and the second half to the skip output, by hand', () => {
    const store = createParamStore('bitcn-test', 2);
    const cell = createTcnCell(store, {
      path: 'cell',
      inChannels: 1,
      outChannels: 1,
      dilation: 1,
      mode: 'backward',
      dropout: 0.5,
    });
    // conv1 rows: tap 0 reads h[t-1], tap 1 reads h[t]; conv2 columns: [to h, to skip].
    cell.conv1.linear.kernel.assign(tf.tensor2d([[0.5], [1]]));
    cell.conv1.linear.bias?.assign(tf.tensor1d([0]));
    cell.conv2.kernel.assign(tf.tensor2d([[2, -1]]));
    cell.conv2.bias?.assign(tf.tensor1d([0.1, 0.2]));
    const h = tf.tensor3d([1, 2, -1], [1, 3, 1]);
    // conv1: [1, 2 + 0.5, -1 + 1] = [1, 2.5, 0]; gelu -> g = [0.8413447461, 2.4844758367, 0].
    const first = cell.apply({ h, out: undefined }, evalCtx);
    // h + 2g + 0.1 and -g + 0.2 (dropout is off outside training).
    expectClose(values(first.h), [2.7826894921, 7.0689516734, -0.9]);
    expectClose(values(first.out as tf.Tensor), [-0.6413447461, -2.2844758367, 0.2]);
    const out = tf.tensor3d([1, 1, 1], [1, 3, 1]);
    const second = cell.apply({ h, out }, evalCtx);
    expectClose(values(second.out as tf.Tensor), [0.3586552539, -1.2844758367, 1.2]);
    // A stack's last cell computes the skip half alone.
    const skipOnly = cell.applySkip({ h, out }, evalCtx);
    expect(values(skipOnly)).toEqual(values(second.out as tf.Tensor));
    tf.dispose([h, out, first.h, first.out, second.h, second.out, skipOnly]);
    store.dispose();
  });

  it('chains dilations 1, 2 through the residual state and returns the skip sum, by hand (forward mode)', () => {
    const store = createParamStore('bitcn-test', 3);
    const stack = createTcnStack(store, { path: 's', channels: 1, layers: 2, mode: 'forward', dropout: 0 });
    const [c0, c1] = stack.cells as [ReturnType<typeof createTcnCell>, ReturnType<typeof createTcnCell>];
    c0.conv1.linear.kernel.assign(tf.tensor2d([[1], [0.5]])); // x[t] + 0.5·x[t+1]
    c0.conv1.linear.bias?.assign(tf.tensor1d([0]));
    c0.conv2.kernel.assign(tf.tensor2d([[1, 1]]));
    c0.conv2.bias?.assign(tf.tensor1d([0, 0]));
    c1.conv1.linear.kernel.assign(tf.tensor2d([[1], [-1]])); // h1[t] - h1[t+2]
    c1.conv1.linear.bias?.assign(tf.tensor1d([0]));
    c1.conv2.kernel.assign(tf.tensor2d([[1, 2]]));
    c1.conv2.bias?.assign(tf.tensor1d([0, 0]));
    const x = tf.tensor3d([1, -1, 2, 0.5], [1, 4, 1]);
    // Cell 0: pre = [0.5, 0, 2.25, 0.5], g0 = gelu(pre) = [0.3457312306, 0, 2.2224949365, 0.3457312306],
    //   h1 = x + g0 = [1.3457312306, -1, 4.2224949365, 0.8457312306], skip = g0.
    // Cell 1: pre = h1[t] - h1[t+2] = [-2.8767637059, -1.8457312306, 4.2224949365, 0.8457312306],
    //   g1 = [-0.0057790778, -0.0599228089, 4.2224439261, 0.6775564351], skip += 2·g1.
    const y = stack.apply(x, evalCtx);
    expectClose(values(y), [0.334173075, -0.1198456179, 10.6673827887, 1.7008441008]);
    tf.dispose([x, y]);
    store.dispose();
  });

  it('stacks ceil(log2(length)) cells, as NeuralForecast computes n_layers for kernel 2', () => {
    const cases = [
      [2, 1],
      [3, 2],
      [4, 2],
      [5, 3],
      [16, 4],
      [17, 5],
      [24, 5],
      [36, 6],
    ] as const;
    for (const [length, layers] of cases) expect([length, tcnLayerCount(length)]).toEqual([length, layers]);
  });
});

describe('BiTCN', () => {
  it("has NeuralForecast's 6,013 parameters at its defaults (h=12, input_size=24, MAE)", () => {
    const net = build(dims({ h: 12, inputSize: 24 }));
    // lin_hist Linear(1,16) = 32; 5 cells × (conv1 16·16·2 + 16 = 528, conv2 16·32 + 32 = 544);
    // temporal_lin1 Linear(24,16) = 400; temporal_lin2 Linear(16,12) = 204; output_lin Linear(16,1) = 17.
    expect(countParameters(net.variables)).toBe(32 + 5 * 1072 + 400 + 204 + 17);
    expect(countParameters(net.variables)).toBe(6013);
    net.dispose();
  });

  it('adds the forward stack over L+H steps and widens the output layer with future covariates', () => {
    const net = build(dims({ h: 12, inputSize: 24, futrExogSize: 2, histExogSize: 3, statExogSize: 1 }));
    // lin_hist Linear(1+3+1+2, 16) = 128; backward 5 cells = 5_360; lin_futr Linear(2,16) = 48;
    // forward ceil(log2(36)) = 6 cells = 6_432; temporal 400 + 204; output_lin Linear(48,1) = 49.
    expect(countParameters(net.variables)).toBe(128 + 5360 + 48 + 6432 + 400 + 204 + 49);
    net.dispose();
  });

  it('maps the backward encoding over time to the horizon, by hand (no exogenous)', () => {
    const net = build(dims({ h: 2, inputSize: 2 }), { hidden_size: 1 });
    assign(net, {
      'bitcn/lin_hist/kernel': [1],
      'bitcn/lin_hist/bias': [0],
      'bitcn/net_bwd/layer_0/conv1/conv/kernel': [0.5, 1], // 0.5·z[t-1] + z[t]
      'bitcn/net_bwd/layer_0/conv1/conv/bias': [0],
      'bitcn/net_bwd/layer_0/conv2/kernel': [0, 1],
      'bitcn/net_bwd/layer_0/conv2/bias': [0, 0],
      'bitcn/temporal_lin1/kernel': [1, -1], // step 0 minus step 1
      'bitcn/temporal_lin1/bias': [0],
      'bitcn/temporal_lin2/kernel': [1, -2],
      'bitcn/temporal_lin2/bias': [0, 1],
      'bitcn/output_lin/kernel': [1],
      'bitcn/output_lin/bias': [0],
    });
    const insampleY = tf.tensor3d([1, 2], [1, 2, 1]);
    const insampleMask = tf.onesLike(insampleY);
    const y = net.forward({ insampleY, insampleMask }, { training: false });
    expect(y.shape).toEqual([1, 2, 1]);
    // conv: [1, 2.5] -> g = [0.8413447461, 2.4844758367]; s = g0 - g1 = -1.6431310906;
    // gelu(s) = -0.0824488786; horizon = [gelu(s), -2·gelu(s) + 1].
    expectClose(values(y), [-0.0824488786, 1.1648977572]);
    tf.dispose([insampleY, insampleMask, y]);
    net.dispose();
  });

  it('reads the horizon block of the forward (anti-causal) encoding as the last output features, by hand', () => {
    const net = build(dims({ h: 2, inputSize: 2, futrExogSize: 1 }), { hidden_size: 1 }, 4);
    // Forward stack: 2 cells (L+H = 4); cell 1 adds nothing to the skip; output_lin reads block 3 only.
    assign(net, {
      'bitcn/lin_futr/kernel': [1],
      'bitcn/lin_futr/bias': [0],
      'bitcn/net_fwd/layer_0/conv1/conv/kernel': [1, 0.5], // u[t] + 0.5·u[t+1]
      'bitcn/net_fwd/layer_0/conv1/conv/bias': [0],
      'bitcn/net_fwd/layer_0/conv2/kernel': [1, 3],
      'bitcn/net_fwd/layer_0/conv2/bias': [0, 0.25],
      'bitcn/net_fwd/layer_1/conv2/kernel': [0, 0],
      'bitcn/net_fwd/layer_1/conv2/bias': [0, 0],
      'bitcn/output_lin/kernel': [0, 0, 1],
      'bitcn/output_lin/bias': [0.5],
    });
    const futrExog = tf.tensor3d([0.5, -1, 2, 1], [1, 4, 1]);
    const run = (y: number[]): number[] => {
      const insampleY = tf.tensor3d(y, [1, 2, 1]);
      const out = net.forward(
        { insampleY, insampleMask: tf.onesLike(insampleY), futrExog },
        { training: false },
      );
      return values(out);
    };
    // Horizon steps 2, 3: pre = [2 + 0.5·1, 1 + 0] = [2.5, 1]; skip = 3·gelu(pre) + 0.25; + 0.5.
    const expected = [3 * 2.4844758367 + 0.75, 3 * 0.8413447461 + 0.75];
    expectClose(run([1, 2]), expected);
    // That block never sees the target.
    expectClose(run([-40, 7]), expected);
    futrExog.dispose();
    net.dispose();
  });

  it('applies dropout only while training, reproducibly per seed', () => {
    const d = dims({ h: 3, inputSize: 6, futrExogSize: 1 });
    const net = build(d);
    const insampleY = tf.randomNormal([4, 6, 1], 0, 1, 'float32', 1) as tf.Tensor3D;
    const futrExog = tf.randomNormal([4, 9, 1], 0, 1, 'float32', 2) as tf.Tensor3D;
    const batch = { insampleY, insampleMask: tf.onesLike(insampleY), futrExog };
    const run = (options: { training: boolean; seed?: number }) => values(net.forward(batch, options));
    expect(run({ training: false })).toEqual(run({ training: false }));
    expect(run({ training: true, seed: 3 })).toEqual(run({ training: true, seed: 3 }));
    expect(run({ training: true, seed: 3 })).not.toEqual(run({ training: true, seed: 4 }));
    expect(run({ training: true, seed: 3 })).not.toEqual(run({ training: false }));
    tf.dispose([insampleY, futrExog, batch.insampleMask]);
    net.dispose();
  });

  it('refuses input_size 1 with a ConfigError (NeuralForecast builds no backward layer there)', () => {
    expect(() => build(dims({ h: 4, inputSize: 1 }))).toThrow(ConfigError);
    expect(() => build(dims({ h: 4, inputSize: 1 }))).toThrow(/input_size must be at least 2/);
  });

  it("carries NeuralForecast's training defaults", () => {
    expect(MODELS.bitcn.commonDefaults).toEqual({
      max_steps: 1000,
      learning_rate: 1e-3,
      num_lr_decays: -1,
      windows_batch_size: 1024,
      inference_windows_batch_size: 1024,
      scaler_type: 'identity',
    });
    expect(MODELS.bitcn.configSchema.parse({})).toEqual({ hidden_size: 16, dropout: 0.5 });
  });
});
