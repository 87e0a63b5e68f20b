/**
 * Exports a TFT training run for a PyTorch replay (tftacc-py/tftreplay.py): initial variables, the
 * windows of every step (trainNetwork's own univariate sampler, rebuilt with the same seeds), the
 * per-step training losses of trainNetwork (robust scaler, MAE) over the cross-validation's training
 * part of AirPassengersPanel, and the three cv forecasts. Use dropout 0 so the replay is deterministic.
 *   npx tsx bench/tftref-trajectory.ts [--hidden 128] [--steps 20] [--seed 1] --out /tmp/x.json
 */
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { MODELS, parseCommonConfig, setBackend } from '../packages/engine/src/index.js';
import { windowScaler } from '../packages/engine/src/scalers/window-scalers.js';
import { flag, numberFlag } from './lib/args.js';
import {
  airPassengersSeries,
  cvInputs,
  cvMae,
  trainStepLosses,
  trainStepRefs,
  trainSources,
  variableValues,
} from './lib/torch-reference.js';

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
const params = variableValues(network.variables);
const full = airPassengersSeries();
const sources = trainSources(full, T);
const stepRefs = trainStepRefs({ modelName: 'tft', network, config: common, sources }, steps);
const trainLosses = await trainStepLosses({ modelName: 'tft', network, config: common, sources });
const x = cvInputs(full, L);
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
const mae = cvMae(full, forecast, h);
console.log(`tft: losses ${trainLosses[0]} … ${trainLosses.at(-1)}, cv MAE ${mae.toFixed(3)} -> ${out}`);
