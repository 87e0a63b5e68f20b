import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MultivariateDims } from '../src/model/types.js';
import { MODELS } from '../src/models/registry.js';
import { createGatingBlock } from '../src/models/xlinear/gating.js';
import { createForwardContext } from '../src/nn/forward-context.js';
import { createParamStore, logicalName } from '../src/nn/params.js';
import { useCpu } from './models-fixtures.js';

beforeAll(useCpu);

const close = (values: readonly number[], digits = 5) => values.map((v) => expect.closeTo(v, digits));
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

describe("XLinear's gating block", () => {
  it('weighs each input feature by sigmoid(Linear(relu(Linear(x))))', () => {
    const store = createParamStore('test', 1);
    const gate = createGatingBlock(store, { path: 'g', features: 2, hidden: 1, dropout: 0 });
    const set = (name: string, t: tf.Tensor) =>
      store.variables.find((v) => logicalName(v) === `test/g/${name}`)?.assign(t);
    set('lin_1/kernel', tf.tensor2d([[1], [-1]]));
    set('lin_1/bias', tf.tensor1d([0]));
    set('lin_2/kernel', tf.tensor2d([[2, 0]]));
    set('lin_2/bias', tf.tensor1d([0, 1]));
    const x = tf.tensor2d([[3, 1]]);
    const y = gate.apply(x, createForwardContext({ training: false }, store.rng));
    // hidden = relu(3 − 1) = 2; gates sigmoid(2·2 + 0), sigmoid(0·2 + 1).
    expect(Array.from(y.dataSync())).toEqual(close([3 * sigmoid(4), sigmoid(1)]));
    tf.dispose([x, y]);
    store.dispose();
  });
});

describe('XLinear', () => {
  const dims: MultivariateDims = {
    h: 2,
    inputSize: 4,
    nSeries: 2,
    nOutputs: 1,
    futrExogSize: 0,
    histExogSize: 0,
    statExogSize: 0,
  };
  const build = () =>
    MODELS.xlinear.build(
      MODELS.xlinear.configSchema.parse({ n_series: 2, hidden_size: 8, temporal_ff: 8, channel_ff: 4 }),
      dims,
      3,
    );
  const forecast = (net: ReturnType<typeof build>, values: number[]): number[] =>
    tf.tidy(() => {
      const y = tf.tensor3d(values, [1, 4, 2]);
      return Array.from(
        net.forward({ insampleY: y, insampleMask: tf.onesLike(y) }, { training: false }).dataSync(),
      );
    });

  it("maps each series' window back to its own level and scale (instance normalisation around the network)", () => {
    const net = build();
    const base = [1, -2, 3, 0, -1, 2, 2, 1]; // [L=4, N=2], step-major
    const shifted = base.map((v, i) => (i % 2 === 0 ? 100 * v + 1000 : 10 * v - 50));
    const [a, b] = [forecast(net, base), forecast(net, shifted)];
    // [B, H, N, K]: entries alternate series 0, 1.
    expect(b).toEqual(
      close(
        a.map((v, i) => (i % 2 === 0 ? 100 * v + 1000 : 10 * v - 50)),
        2,
      ),
    );
    net.dispose();
  });

  it("lets one series' window move another's forecast (the cross-series gate)", () => {
    const net = build();
    const base = [1, -2, 3, 0, -1, 2, 2, 1];
    const other = base.map((v, i) => (i % 2 === 1 ? -v : v)); // series 1 changed, series 0 kept
    const [a, b] = [forecast(net, base), forecast(net, other)];
    expect(Math.abs((a[0] as number) - (b[0] as number))).toBeGreaterThan(1e-6);
    net.dispose();
  });
});
