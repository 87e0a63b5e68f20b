/**
 * Exports what a PyTorch reference needs to check TFT step for step against NeuralForecast's own
 * module: initial variables, B univariate windows of AirPassengersPanel scaled like the robust
 * scaler would (fixed median 250, IQR-ish 100, so magnitudes are realistic), the eval-mode forward,
 * the MAE loss, every gradient, the losses of `--steps` Adam steps on that batch, and with `--draws`
 * the train-mode output's mean and spread over that many dropout seeds.
 *   npx tsx bench/tftref-export.ts [--hidden 16] [--batch 8] [--steps 5] [--draws 0] --out /tmp/x.json
 */
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { MODELS, setBackend } from '../packages/engine/src/index.js';
import { flag, numberFlag } from './lib/args.js';
import { adamSteps, airPassengersSeries, lossAndGrads, variableValues } from './lib/torch-reference.js';

const steps = numberFlag('steps', 5);
const out = flag('out', '/tmp/tftref.json');
const B = numberFlag('batch', 8);
const hidden = numberFlag('hidden', 16);
await setBackend('wasm');
const [L, h] = [24, 12];
const config = MODELS.tft.configSchema.parse({ hidden_size: hidden, n_head: 4 });
const network = MODELS.tft.build(
  config,
  { h, inputSize: L, futrExogSize: 0, histExogSize: 0, statExogSize: 0, nOutputs: 1 },
  1,
);
const series = airPassengersSeries();
const xs = new Float32Array(B * L);
const ys = new Float32Array(B * h);
for (let b = 0; b < B; b += 1) {
  const s = series[b % 2] as number[];
  const start = 3 * b;
  for (let t = 0; t < L; t += 1) xs[b * L + t] = ((s[start + t] as number) - 250) / 100;
  for (let t = 0; t < h; t += 1) ys[b * h + t] = ((s[start + L + t] as number) - 250) / 100;
}
const insampleY = tf.tensor3d(xs, [B, L, 1]);
const insampleMask = tf.onesLike(insampleY);
const target = tf.tensor3d(ys, [B, h, 1]);
const predict = (): tf.Tensor => network.forward({ insampleY, insampleMask }, { training: false });
const lossOf = (): tf.Scalar => tf.mean(tf.abs(tf.sub(predict(), target)));
const params = variableValues(network.variables);
const output = predict();
const { loss, grads } = lossAndGrads(network.variables, lossOf);
// Train-mode moments over `--draws` dropout seeds (before any Adam step): where the dropouts sit
// shows in the spread, which the reference compares with its own train-mode draws.
const draws = numberFlag('draws', 0);
const sum = new Float64Array(B * h);
const sumSq = new Float64Array(B * h);
for (let s = 0; s < draws; s += 1) {
  const y = tf.tidy(() => network.forward({ insampleY, insampleMask }, { training: true, seed: 1000 + s }));
  const v = y.dataSync();
  for (let i = 0; i < v.length; i += 1) {
    const value = v[i] as number;
    sum[i] = (sum[i] as number) + value;
    sumSq[i] = (sumSq[i] as number) + value ** 2;
  }
  y.dispose();
}
const trainMean = Array.from(sum, (x) => x / Math.max(draws, 1));
const trainStd = Array.from(sumSq, (x, i) =>
  Math.sqrt(Math.max(x / Math.max(draws, 1) - (trainMean[i] as number) ** 2, 0)),
);
const { losses, finalVariables } = adamSteps(network.variables, lossOf, steps);
writeFileSync(
  out,
  JSON.stringify({
    config,
    dims: { L, h, B },
    params,
    insample: Array.from(xs),
    target: Array.from(ys),
    output: Array.from(output.dataSync()),
    loss,
    grads,
    adamLosses: losses,
    draws,
    trainMean,
    trainStd,
    finalVariables,
  }),
);
console.log(`tft: ${params.length} variables, loss ${loss}, adam ${losses.join(' ')} -> ${out}`);
