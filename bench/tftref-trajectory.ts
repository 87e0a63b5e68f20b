/**
 * Exports a TFT training run for a PyTorch replay (tftacc-py/tftreplay.py): initial variables, the
 * windows of every step (trainNetwork's own univariate sampler, rebuilt with the same seeds), the
 * per-step training losses of trainNetwork (robust scaler, MAE) over the cross-validation's training
 * part of AirPassengersPanel, and the three cv forecasts. Use dropout 0 so the replay is deterministic.
 *   npx tsx bench/tftref-trajectory.ts [--hidden 128] [--steps 20] [--seed 1] --out /tmp/x.json
 */
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import {
  availabilityFractions,
  createLoss,
  logicalName,
  MODELS,
  parseCommonConfig,
  setBackend,
  trainNetwork,
} from '../packages/engine/src/index.js';
import { windowScaler } from '../packages/engine/src/scalers/window-scalers.js';
import { trainWindowRefs } from '../packages/engine/src/windows/refs.js';
import { createTrainSampler } from '../packages/engine/src/windows/sampler.js';
import type { WindowSource } from '../packages/engine/src/windows/source.js';
import { AIR_PASSENGERS } from '../packages/engine/test/fixtures/air-passengers.js';
import { flag, numberFlag } from './lib/args.js';

const seed = numberFlag('seed', 1);
const steps = numberFlag('steps', 20);
const out = flag('out', '/tmp/tftref-trajectory.json');
const dropout = numberFlag('dropout', 0);
await setBackend('wasm');
const [L, h, N, T] = [24, 12, 2, 108];
const common = parseCommonConfig(
  { h, input_size: L, max_steps: steps, random_seed: seed },
  { modelName: 'tft', modelDefaults: MODELS.tft.commonDefaults },
);
const config = MODELS.tft.configSchema.parse({ hidden_size: numberFlag('hidden', 128), dropout });
const network = MODELS.tft.build(
  config,
  { h, inputSize: L, futrExogSize: 0, histExogSize: 0, statExogSize: 0, nOutputs: 1 },
  seed,
);
const params = network.variables.map((v) => ({
  name: logicalName(v),
  shape: v.shape,
  values: Array.from(v.dataSync()),
}));
const full = [AIR_PASSENGERS.map(Number), AIR_PASSENGERS.map((y) => Number(y) + 300)];
const sources: WindowSource[] = full.map((s) => ({
  y: Float64Array.from(s.slice(0, T)),
  mask: new Float64Array(T).fill(1),
  futr: [],
  hist: [],
  stat: [],
}));
const sampler = createTrainSampler({
  windowsBatchSize: common.windows_batch_size,
  dropLast: common.drop_last_loader,
  seed: common.random_seed,
  refs: trainWindowRefs({
    inputSize: L,
    h,
    rightPadding: h,
    sources,
    holdout: 0,
    stepSize: common.step_size,
    startPaddingEnabled: common.start_padding_enabled,
    availability: availabilityFractions(common),
  }),
  batchSize: common.batch_size,
});
const stepRefs = Array.from({ length: steps }, () => sampler.next().map((r) => [r.series, r.start]));
const loss = createLoss(common.loss);
const trainLosses: number[] = [];
await trainNetwork({
  modelName: 'tft',
  network,
  config: common,
  loss,
  validLoss: loss,
  sources,
  onProgress: (e) => {
    if (e.kind === 'train') trainLosses.push(e.loss);
  },
});
const cutoffs = [108, 120, 132];
const x = tf.tensor3d(
  cutoffs.flatMap((c) => full.flatMap((s) => s.slice(c - L, c))),
  [cutoffs.length * N, L, 1],
);
const scaler = windowScaler('robust');
const stats = scaler.stats(x, tf.onesLike(x));
const z = network.forward(
  { insampleY: scaler.scale(x, stats), insampleMask: tf.onesLike(x) },
  { training: false },
);
const forecast = scaler.inverse(z as tf.Tensor3D, stats);
writeFileSync(
  out,
  JSON.stringify({
    config,
    dims: { L, h, N },
    params,
    stepRefs,
    trainLosses,
    forecast: Array.from(forecast.dataSync()),
  }),
);
const actual = cutoffs.flatMap((c) => full.flatMap((s) => s.slice(c, c + h)));
const f = forecast.dataSync();
const mae = actual.reduce((a, y, i) => a + Math.abs(y - (f[i] as number)), 0) / actual.length;
console.log(`tft: losses ${trainLosses[0]} … ${trainLosses.at(-1)}, cv MAE ${mae.toFixed(3)} -> ${out}`);
