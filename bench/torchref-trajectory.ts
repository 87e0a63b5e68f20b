/**
 * Exports a whole training run of a multivariate model for a PyTorch reference to replay: the
 * initial variables, the windows of every step (the engine's own sampler and series shuffle,
 * replayed with the same seeds as trainNetwork), the per-step training losses of trainNetwork over
 * the cross-validation's training part of AirPassengersPanel (first 108 points, h=12,
 * input_size=24), and the forecasts of the three cross-validation windows. Use with dropout 0 so
 * the replay is deterministic: any step whose loss differs beyond float rounding is a difference
 * in the training procedure, not in the network.
 *   npx tsx bench/torchref-trajectory.ts --model itransformer --set dropout=0 [--seed 1] [--steps 100] --out /tmp/x.json
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
  toSeriesRowsNetwork,
  trainNetwork,
} from '../packages/engine/src/index.js';
import { createTrainSampler } from '../packages/engine/src/windows/sampler.js';
import { createSeriesShuffler, jointTrainWindowRefs } from '../packages/engine/src/windows/multivariate.js';
import type { WindowSource } from '../packages/engine/src/windows/source.js';
import { AIR_PASSENGERS } from '../packages/engine/test/fixtures/air-passengers.js';
import { flag, numberFlag, overrides } from './lib/args.js';

const id = flag('model', 'itransformer') as keyof typeof MODELS;
const seed = numberFlag('seed', 1);
const steps = numberFlag('steps', 100);
const out = flag('out', '/tmp/torchref-trajectory.json');
const sets = overrides();

await setBackend('wasm');
const [L, h, N, T] = [24, 12, 2, 108];
const spec = MODELS[id] as unknown as {
  kind: string;
  commonDefaults?: Record<string, unknown>;
  configSchema: { parse(x: unknown): Record<string, unknown> };
  build(config: unknown, dims: unknown, seed: number): Parameters<typeof toSeriesRowsNetwork>[0];
};
if (spec.kind !== 'multivariate') throw new Error(`${id} is not multivariate`);
const common = parseCommonConfig(
  { h, input_size: L, max_steps: steps, random_seed: seed },
  { modelName: id, ...(spec.commonDefaults ? { modelDefaults: spec.commonDefaults } : {}) },
);
const config = spec.configSchema.parse({ n_series: N, ...sets });
const inner = spec.build(
  config,
  { h, inputSize: L, futrExogSize: 0, histExogSize: 0, statExogSize: 0, nOutputs: 1, nSeries: N },
  seed,
);
const network = toSeriesRowsNetwork(inner, N);
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
// trainNetwork's multivariate sampler, rebuilt with the same options and seeds.
const groups = jointTrainWindowRefs({
  inputSize: L,
  h,
  rightPadding: h,
  sources,
  holdout: 0,
  stepSize: common.step_size,
  startPaddingEnabled: common.start_padding_enabled,
  availability: availabilityFractions(common),
});
const sampler = createTrainSampler({
  windowsBatchSize: common.windows_batch_size,
  dropLast: common.drop_last_loader,
  seed: common.random_seed,
  refs: [groups],
  batchSize: 1,
});
const shuffle = createSeriesShuffler(N, common.random_seed);
const stepRefs = Array.from({ length: steps }, () => shuffle(sampler.next()).map((r) => [r.series, r.start]));

const loss = createLoss(common.loss);
const trainLosses: number[] = [];
await trainNetwork({
  modelName: id,
  network,
  config: common,
  loss,
  validLoss: loss,
  sources,
  onProgress: (e) => {
    if (e.kind === 'train') trainLosses.push(e.loss);
  },
});
// The three cross-validation windows: inputs end at 108, 120, 132.
const cutoffs = [108, 120, 132];
const x = tf.tensor3d(
  cutoffs.flatMap((c) => full.flatMap((s) => s.slice(c - L, c))),
  [cutoffs.length * N, L, 1],
);
const forecast = network.forward({ insampleY: x, insampleMask: tf.onesLike(x) }, { training: false });
writeFileSync(
  out,
  JSON.stringify({
    model: id,
    config,
    common: { windows_batch_size: common.windows_batch_size, learning_rate: common.learning_rate },
    dims: { L, h, N, B: common.windows_batch_size },
    params,
    stepRefs,
    trainLosses,
    forecast: Array.from(forecast.dataSync()), // [3·N, h, 1], window-major
  }),
);
const actual = cutoffs.flatMap((c) => full.flatMap((s) => s.slice(c, c + h)));
const f = forecast.dataSync();
const mae = actual.reduce((a, y, i) => a + Math.abs(y - (f[i] as number)), 0) / actual.length;
console.log(`${id}: losses ${trainLosses[0]} … ${trainLosses.at(-1)}, cv MAE ${mae.toFixed(3)} -> ${out}`);
