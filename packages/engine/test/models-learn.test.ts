import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { UNIVARIATE_MODEL_IDS, getUnivariateModelSpec } from '../src/models/registry.js';
import { setBackend } from '../src/backend/backend.js';
import { dims, sineWindows } from './models-fixtures.js';
import { SLOW_MODEL_TIMEOUTS, SMALL_CONFIGS } from './models-small-configs.js';

// Forty Adam steps of every model: on the wasm backend users train on (native matmul where
// OpenBLAS loads) they take a fifth of the pure-JS cpu backend's time.
beforeAll(async () => {
  await setBackend('wasm');
});

const STEPS = 40;

// Univariate networks only: multivariate ones read [B, L, N] windows and learn in models-multivariate.test.ts.
describe.each(UNIVARIATE_MODEL_IDS)('%s can learn', (id) => {
  const timeout = SLOW_MODEL_TIMEOUTS[id];
  it(`a sine of period 8 within ${STEPS} Adam steps (MAE halves)`, { timeout }, () => {
    const d = dims({ h: 4, inputSize: 16 });
    const spec = getUnivariateModelSpec(id);
    const net = spec.build(spec.configSchema.parse(SMALL_CONFIGS[id]), d, 1);
    const { batch, y } = sineWindows({ b: 32, inputSize: 16, h: 4 });
    const optimizer = tf.train.adam(0.01);
    const mae = (training: boolean, seed?: number): tf.Scalar =>
      tf.mean(tf.abs(tf.sub(net.forward(batch, { training, ...(seed === undefined ? {} : { seed }) }), y)));
    const before = tf.tidy(() => mae(false).dataSync()[0] as number);
    for (let step = 0; step < STEPS; step += 1) {
      tf.tidy(() => {
        optimizer.minimize(() => mae(true, step), false, net.variables as tf.Variable[]);
      });
    }
    const after = tf.tidy(() => mae(false).dataSync()[0] as number);
    expect(after).toBeLessThan(before * 0.5);
    optimizer.dispose();
    tf.dispose([batch.insampleY, batch.insampleMask, y]);
    net.dispose();
  });
});
