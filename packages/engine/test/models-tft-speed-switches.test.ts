/**
 * TFT's speed switches (the ones bench/tft-ab.ts alternates): each changes how a step is computed,
 * never what — a small TFT with every input kind and dropout on gives the same forecast and the
 * same gradient of every weight with the switch on as off, on cpu and on wasm (a width of 8, so
 * the wasm SIMD kernels run).
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { MODELS } from '../src/models/registry.js';
import { setSplitInputGate } from '../src/models/tft/tft.js';
import { setSeparateKeyValueProducts } from '../src/models/tft/interpretable-attention.js';
import { setFusedBiasElu } from '../src/nn/bias-elu.js';
import { logicalName } from '../src/nn/params.js';
import { setPlainFirstProduct } from '../src/nn/scalar-embedding.js';
import { dims, disposeBatch, randomBatch } from './models-fixtures.js';
import { relativeError } from './models-recurrent-fixtures.js';

const SWITCHES = {
  'separate-kv': setSeparateKeyValueProducts,
  'plain-first-product': setPlainFirstProduct,
  'bias-elu': setFusedBiasElu,
  'split-input-gate': setSplitInputGate,
} as const satisfies Record<string, (on: boolean) => void>;

afterAll(() => Object.values(SWITCHES).forEach((set) => set(true)));

/** The forecast and every weight's gradient of one training pass (dropout seed 5). */
function forecastAndGradients(
  network: ReturnType<typeof MODELS.tft.build>,
  batch: ReturnType<typeof randomBatch>,
) {
  return tf.tidy(() => {
    const forecast = network.forward(batch, { training: true, seed: 5 });
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.square(network.forward(batch, { training: true, seed: 5 }))) as tf.Scalar,
      network.variables as tf.Variable[],
    );
    return [forecast, ...network.variables.map((v) => grads[v.name] ?? tf.zeros([0]))].map(
      (t) => t.dataSync() as Float32Array,
    );
  });
}

describe.each(['cpu', 'wasm'] as const)('TFT speed switches on %s', (backend) => {
  it.each(Object.keys(SWITCHES))('%s: the same forecast and gradients on as off', async (name) => {
    await setBackend(backend);
    const set = SWITCHES[name as keyof typeof SWITCHES];
    const d = dims({ h: 3, inputSize: 5, futrExogSize: 2, histExogSize: 1, statExogSize: 2 });
    const network = MODELS.tft.build(MODELS.tft.configSchema.parse({ hidden_size: 8, n_head: 2 }), d, 1);
    const batch = randomBatch(d, 4);
    set(false);
    const off = forecastAndGradients(network, batch);
    set(true);
    const on = forecastAndGradients(network, batch);
    on.forEach((got, i) => {
      const what = i === 0 ? 'forecast' : logicalName(network.variables[i - 1]!);
      expect(relativeError(got, off[i]!), what).toBeLessThan(1e-5);
    });
    disposeBatch(batch);
    network.dispose();
  });
});
