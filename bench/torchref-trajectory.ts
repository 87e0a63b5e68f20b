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
import { MODELS, parseCommonConfig, setBackend, toSeriesRowsNetwork } from '../packages/engine/src/index.js';
import { flag, numberFlag, overrides } from './lib/args.js';
import {
  airPassengersSeries,
  cvInputs,
  cvMae,
  trainStepLosses,
  trainStepRefs,
  trainSources,
  variableValues,
} from './lib/torch-reference.js';

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
const params = variableValues(network.variables);

const full = airPassengersSeries();
const sources = trainSources(full, T);
const stepRefs = trainStepRefs({ modelName: id, network, config: common, sources }, steps);

const trainLosses = await trainStepLosses({ modelName: id, network, config: common, sources });
// The three cross-validation windows: inputs end at 108, 120, 132.
const x = cvInputs(full, L);
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
const mae = cvMae(full, forecast, h);
console.log(`${id}: losses ${trainLosses[0]} … ${trainLosses.at(-1)}, cv MAE ${mae.toFixed(3)} -> ${out}`);
