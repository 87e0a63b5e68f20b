import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TrainingError } from '@nflab/contracts';
import { setBackend } from '../src/backend/backend.js';
import { parseCommonConfig } from '../src/config/common.js';
import { createLoss } from '../src/losses/registry.js';
import type { MultivariateNetwork } from '../src/model/types.js';
import { mlp } from '../src/models/mlp/mlp.js';
import { toSeriesRowsNetwork } from '../src/models/multivariate.js';
import {
  clipByGlobalNorm,
  createAdam,
  stepLearningRate,
  trainNetwork,
  type TrainingEvent,
} from '../src/training/index.js';
import { createSeriesShuffler } from '../src/windows/multivariate.js';
import type { WindowRef } from '../src/windows/refs.js';
import type { WindowSource } from '../src/windows/source.js';

const sine = (n: number, phase = 0): WindowSource => {
  const y = Float64Array.from({ length: n }, (_, t) => Math.sin((2 * Math.PI * t) / 8 + phase) + 0.01 * t);
  return { y, mask: new Float64Array(n).fill(1), futr: [], hist: [], stat: [] };
};

const setup = (overrides: Record<string, unknown> = {}) => {
  const config = parseCommonConfig(
    {
      h: 4,
      input_size: 8,
      max_steps: 30,
      learning_rate: 0.01,
      windows_batch_size: 16,
      val_check_steps: 10,
      ...overrides,
    },
    { modelName: 'mlp' },
  );
  const network = mlp.build(
    mlp.configSchema.parse({ num_layers: 1, hidden_size: 8 }),
    { h: 4, inputSize: 8, futrExogSize: 0, histExogSize: 0, statExogSize: 0, nOutputs: 1 },
    config.random_seed,
  );
  const loss = createLoss(config.loss);
  return { config, network, loss, validLoss: loss, modelName: 'mlp', sources: [sine(40), sine(40, 1)] };
};

beforeAll(async () => {
  await setBackend('cpu');
});

describe('optimiser pieces', () => {
  it("takes PyTorch's first Adam step", () => {
    const x = tf.variable(tf.scalar(1));
    const adam = createAdam([x]);
    const g = tf.scalar(2);
    adam.step([g], 0.1);
    // m̂ = 2, v̂ = 4 -> x -= 0.1 * 2 / (2 + 1e-8)
    expect(x.dataSync()[0]).toBeCloseTo(0.9, 6);
    adam.dispose();
    tf.dispose([x, g]);
  });

  it('halves the rate every max_steps // num_lr_decays steps', () => {
    const o = { learningRate: 1, maxSteps: 10, numLrDecays: 3 };
    expect([0, 2, 3, 5, 6, 9].map((s) => stepLearningRate(s, o))).toEqual([1, 1, 0.5, 0.5, 0.25, 0.125]);
    expect(stepLearningRate(999, { ...o, numLrDecays: -1 })).toBe(1);
  });

  it('clips gradients by their global norm', () => {
    const grads = [tf.tensor1d([3]), tf.tensor1d([4])];
    const clipped = clipByGlobalNorm(grads, 1);
    expect(clipped.map((t) => t.dataSync()[0]!)).toEqual([expect.closeTo(0.6, 5), expect.closeTo(0.8, 5)]);
    const loose = clipByGlobalNorm(grads, 10);
    expect(loose.map((t) => t.dataSync()[0])).toEqual([3, 4]);
    tf.dispose([...grads, ...clipped, ...loose]);
  });
});

describe('trainNetwork', () => {
  it('lowers the loss, reports every step and validation, leaks nothing and repeats exactly with the seed', async () => {
    const run = async () => {
      const s = setup();
      const events: TrainingEvent[] = [];
      const before = tf.memory().numTensors;
      const result = await trainNetwork({ ...s, valSize: 4, onProgress: (e) => events.push(e) });
      expect(tf.memory().numTensors).toBe(before);
      s.network.dispose();
      return { result, events };
    };
    const a = await run();
    const b = await run();
    expect(a.result.steps).toBe(30);
    expect(a.events.filter((e) => e.kind === 'train')).toHaveLength(30);
    expect(a.events.filter((e) => e.kind === 'valid').map((e) => e.step)).toEqual([10, 20, 30]);
    const first = a.result.trainLosses.slice(0, 5).reduce((x, y) => x + y) / 5;
    const last = a.result.trainLosses.slice(-5).reduce((x, y) => x + y) / 5;
    expect(last).toBeLessThan(first);
    expect(b.result.trainLosses).toEqual(a.result.trainLosses);
    expect(b.result.validLosses).toEqual(a.result.validLosses);
  });

  it('stops early after early_stop_patience_steps validation checks without improvement', async () => {
    // A rate below float32 resolution leaves the weights unchanged, so validation never improves.
    const s = setup({ learning_rate: 1e-30, early_stop_patience_steps: 2, val_check_steps: 5 });
    const result = await trainNetwork({ ...s, valSize: 4 });
    s.network.dispose();
    expect(result.stoppedEarly).toBe(true);
    expect(result.validLosses.map((v) => v.step)).toEqual([5, 10, 15]);
    expect(result.steps).toBe(15);
  });

  it('raises a TrainingError naming the step and the model on a non-finite loss', async () => {
    const s = setup({ loss: 'mse' });
    const huge = { ...sine(40), y: new Float64Array(40).fill(1e30) };
    const before = tf.memory().numTensors;
    await expect(trainNetwork({ ...s, sources: [huge] })).rejects.toThrow(TrainingError);
    await expect(trainNetwork({ ...s, sources: [huge] })).rejects.toThrow(
      /model 'mlp': training loss is Infinity at step 1/,
    );
    expect(tf.memory().numTensors).toBe(before);
    s.network.dispose();
  });

  it('stops on abort', async () => {
    const s = setup();
    const controller = new AbortController();
    const done = trainNetwork({
      ...s,
      signal: controller.signal,
      onProgress: (e) => e.step === 3 && controller.abort(new Error('cancelled by user')),
    });
    await expect(done).rejects.toThrow('cancelled by user');
    s.network.dispose();
  });
});

describe('multivariate training (NeuralForecast 3.2 shuffles the series of its one batch every step)', () => {
  /** A network over two series that records, per forward call, which series sits in each slot of each window. */
  const spyNetwork = () => {
    const w = tf.variable(tf.scalar(0));
    const calls: { training: boolean; slots: number[][] }[] = [];
    const inner: MultivariateNetwork = {
      variables: [w],
      forward(batch, options) {
        const [B, , N] = batch.insampleY.shape;
        const values = batch.insampleY.arraySync();
        // Series 0 holds 1..40 and series 1 holds 1001..1040 (identity scaler), so a value says its series.
        calls.push({
          training: options.training,
          slots: values.map((window) => (window[0] as number[]).map((v) => (v > 1000 ? 1 : 0))),
        });
        return tf.mul(w, tf.ones([B, 4, N, 1])) as tf.Tensor4D; // [B, H, N, 1]
      },
      dispose: () => w.dispose(),
    };
    return { network: toSeriesRowsNetwork(inner, 2), calls };
  };
  const ramp = (offset: number): WindowSource => ({
    y: Float64Array.from({ length: 40 }, (_, t) => offset + t + 1),
    mask: new Float64Array(40).fill(1),
    futr: [],
    hist: [],
    stat: [],
  });

  it('gives every window of a step the same random series order, both orders over the steps, panel order when validating', async () => {
    const { config, loss } = setup({ max_steps: 40, windows_batch_size: 5, val_check_steps: 20 });
    const spy = spyNetwork();
    await trainNetwork({
      config,
      loss,
      validLoss: loss,
      modelName: 'spy',
      network: spy.network,
      sources: [ramp(0), ramp(1000)],
      valSize: 4,
    });
    spy.network.dispose();
    const training = spy.calls.filter((c) => c.training);
    expect(training).toHaveLength(40);
    for (const call of training) {
      const order = call.slots[0] as number[];
      expect([...order].sort()).toEqual([0, 1]);
      for (const slots of call.slots) expect(slots).toEqual(order);
    }
    const swapped = training.filter((c) => c.slots[0]?.[0] === 1).length;
    expect(swapped).toBeGreaterThan(5);
    expect(swapped).toBeLessThan(35);
    const validating = spy.calls.filter((c) => !c.training);
    expect(validating.length).toBeGreaterThan(0);
    for (const call of validating) for (const slots of call.slots) expect(slots).toEqual([0, 1]);
  });

  it('draws the order from its own seeded stream: same seed same orders, another seed other orders', () => {
    const group = (start: number): WindowRef[] => [0, 1, 2].map((series) => ({ series, start, limit: 50 }));
    const orders = (seed: number) => {
      const shuffle = createSeriesShuffler(3, seed);
      return Array.from({ length: 12 }, () => shuffle([group(0), group(7)]).map((r) => r.series));
    };
    const a = orders(1);
    for (const refs of a) expect(refs.slice(3)).toEqual(refs.slice(0, 3));
    expect(orders(1)).toEqual(a);
    expect(orders(2)).not.toEqual(a);
    expect(new Set(a.map((refs) => refs.join())).size).toBeGreaterThan(2);
  });
});
