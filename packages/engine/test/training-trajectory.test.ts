/**
 * Pins the training loop's arithmetic: fixed-seed fits must reproduce loss trajectories recorded
 * before the loop's speed work (window scaling moved off the gradient tape, buffers left out of
 * Adam, the native Sum planned around size-1 axes, closed-form backward passes of batch norm and
 * of TiDE's layer norm). A change in what a step computes — sampling, scaling, dropout seeds, the
 * Adam or clipping rule, validation — moves these by far more than the float noise of reordered
 * sums (~1e-7) that the tolerance admits.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { parseCommonConfig } from '../src/config/common.js';
import { createLoss } from '../src/losses/registry.js';
import { MODELS } from '../src/models/registry.js';
import { trainNetwork } from '../src/training/index.js';
import type { WindowSource } from '../src/windows/source.js';

const sine = (n: number, phase = 0): WindowSource => {
  const y = Float64Array.from(
    { length: n },
    (_, t) => 10 + 3 * Math.sin((2 * Math.PI * t) / 8 + phase) + 0.05 * t,
  );
  return { y, mask: new Float64Array(n).fill(1), futr: [], hist: [], stat: [] };
};

/** Recorded on the cpu backend at commit 7811363, before the loop changes. */
const CASES = [
  {
    id: 'deepnpts',
    model: { hidden_size: 8, n_layers: 2, dropout: 0.1, batch_norm: true },
    common: { scaler_type: 'standard' },
    train: [
      0.8737753629684448, 0.8770228028297424, 0.8714891672134399, 0.8298870325088501, 0.7863660454750061,
      0.7561924457550049, 0.7500354051589966, 0.7338567972183228, 0.7200457453727722, 0.6872705221176147,
      0.6351917386054993, 0.6707456707954407,
    ],
    valid: [1.6551779508590698, 1.558103084564209, 1.4427741765975952],
  },
  {
    id: 'mlp',
    model: { num_layers: 2, hidden_size: 8 },
    common: { scaler_type: 'robust', gradient_clip_val: 1 },
    train: [
      0.9480296969413757, 0.9697588086128235, 1.048453450202942, 1.0272217988967896, 0.9991328716278076,
      0.8687040209770203, 0.8790719509124756, 0.894142746925354, 0.8530280590057373, 0.8111935257911682,
      0.7298417687416077, 0.7636898756027222,
    ],
    valid: [1.3893723487854004, 1.3358261585235596, 1.3090115785598755],
  },
  {
    id: 'tide',
    model: { hidden_size: 16, decoder_output_dim: 4, temporal_decoder_dim: 8, dropout: 0.3 },
    common: { scaler_type: 'identity' },
    train: [
      10.496562957763672, 10.2830810546875, 9.251543998718262, 8.724640846252441, 7.896274089813232,
      7.167238235473633, 6.547770023345947, 6.1362833976745605, 5.172982692718506, 4.533204078674316,
      3.602957010269165, 3.3988454341888428,
    ],
    valid: [7.5263752937316895, 4.800911903381348, 2.618849277496338],
  },
] as const;

const fit = async (c: (typeof CASES)[number]) => {
  const spec = MODELS[c.id];
  const config = parseCommonConfig(
    {
      h: 4,
      input_size: 8,
      max_steps: 12,
      learning_rate: 0.01,
      windows_batch_size: 16,
      val_check_steps: 4,
      ...c.common,
    },
    { modelName: c.id },
  );
  const dims = { h: 4, inputSize: 8, futrExogSize: 0, histExogSize: 0, statExogSize: 0, nOutputs: 1 };
  const network = spec.build(spec.configSchema.parse(c.model) as never, dims, config.random_seed);
  const loss = createLoss(config.loss);
  const before = tf.memory().numTensors;
  const result = await trainNetwork({
    config,
    network,
    loss,
    validLoss: loss,
    modelName: c.id,
    sources: [sine(48), sine(48, 1)],
    valSize: 4,
  });
  expect(tf.memory().numTensors).toBe(before);
  network.dispose();
  return result;
};

/** Equal up to float32 noise: relative 1e-5. */
const expectTrajectory = (actual: readonly number[], expected: readonly number[]): void => {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => {
    const want = expected[i] as number;
    expect(Math.abs(value - want), `step ${i + 1}: ${value} vs ${want}`).toBeLessThanOrEqual(
      1e-5 * Math.abs(want),
    );
  });
};

// The shared test workers keep one tfjs across files: hand back the backend found (if any).
let previous: string | undefined;
beforeAll(() => {
  previous = tf.getBackend() as string | undefined;
});
afterAll(async () => {
  if (previous) await tf.setBackend(previous);
});

describe.each(['cpu', 'wasm'] as const)('fixed-seed loss trajectories on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });
  it.each(CASES)('$id ($common.scaler_type) trains and validates as before', async (c) => {
    const result = await fit(c);
    expectTrajectory(result.trainLosses, c.train);
    expectTrajectory(
      result.validLosses.map((v) => v.loss),
      c.valid,
    );
  });
});
