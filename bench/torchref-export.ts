/**
 * Exports what a PyTorch reference needs to check a multivariate network step for step against
 * NeuralForecast's own module: the initial variables (logical names, shapes, values), one batch of
 * AirPassengersPanel windows [B, L, N] with its targets [B, h, N], the eval-mode forward, the MAE
 * loss and every gradient, then the losses of `--steps` Adam steps (lr 1e-3, PyTorch's betas and
 * eps) on that same batch. Every forward is in eval mode unless `--train-mode` (then set dropout to 0
 * so torch can reproduce every number: BatchNorm uses batch statistics and moves its running ones,
 * which are exported after all the forwards).
 *   npx tsx bench/torchref-export.ts --model itransformer [--set k=v,...] [--seed 1] [--steps 5] [--train-mode] --out /tmp/x.json
 */
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { MODELS, setBackend } from '../packages/engine/src/index.js';
import { flag, has, numberFlag, overrides } from './lib/args.js';
import { adamSteps, airPassengersSeries, lossAndGrads, variableValues } from './lib/torch-reference.js';

const id = flag('model', 'itransformer') as keyof typeof MODELS;
const seed = numberFlag('seed', 1);
const steps = numberFlag('steps', 5);
const out = flag('out', '/tmp/torchref.json');
const training = has('train-mode');
const sets = overrides();

await setBackend(flag('backend', 'wasm') as 'wasm');
const [L, h, N, B] = [24, 12, 2, 32];
const spec = MODELS[id] as unknown as {
  kind: string;
  configSchema: { parse(x: unknown): Record<string, unknown> };
  build(
    config: unknown,
    dims: unknown,
    seed: number,
  ): {
    variables: readonly tf.Variable[];
    forward(batch: unknown, options: { training: boolean }): tf.Tensor;
  };
};
const multivariate = spec.kind === 'multivariate';
const config = spec.configSchema.parse({ ...(multivariate ? { n_series: N } : {}), ...sets });
const network = spec.build(
  config,
  { h, inputSize: L, futrExogSize: 0, histExogSize: 0, statExogSize: 0, nOutputs: 1, nSeries: N },
  seed,
);

// Windows starting at 0, 2, 4, … over the first 108 points (cross-validation's training part).
const series = airPassengersSeries();
const xs = new Float32Array(B * L * N);
const ys = new Float32Array(B * h * N);
for (let b = 0; b < B; b += 1) {
  const start = 2 * b;
  for (let n = 0; n < N; n += 1) {
    const s = series[n] as number[];
    for (let t = 0; t < L; t += 1) xs[(b * L + t) * N + n] = s[start + t] as number;
    for (let t = 0; t < h; t += 1) ys[(b * h + t) * N + n] = s[start + L + t] as number;
  }
}
const insampleY = tf.tensor3d(xs, [B, L, N]);
const insampleMask = tf.onesLike(insampleY);
const target = tf.tensor3d(ys, [B, h, N]);
// A univariate network sees the B·N rows [B, L, N] -> [B, N, L] -> [B·N, L, 1] and returns [B·N, h, 1].
const rows = (x: tf.Tensor3D): tf.Tensor3D => tf.reshape(tf.transpose(x, [0, 2, 1]), [B * N, -1, 1]);
const predict = (): tf.Tensor3D =>
  multivariate
    ? tf.reshape(network.forward({ insampleY, insampleMask }, { training }), [B, h, N])
    : tf.transpose(
        tf.reshape(
          network.forward({ insampleY: rows(insampleY), insampleMask: rows(insampleMask) }, { training }),
          [B, N, h],
        ),
        [0, 2, 1],
      );
const lossOf = (): tf.Scalar => tf.mean(tf.abs(tf.sub(predict(), target)));

const params = variableValues(network.variables);
const output = predict();
const { loss, grads } = lossAndGrads(network.variables, lossOf);
const { losses, finalVariables } = adamSteps(network.variables, lossOf, steps);
writeFileSync(
  out,
  JSON.stringify({
    model: id,
    config,
    dims: { L, h, N, B },
    params,
    insample: Array.from(xs),
    target: Array.from(ys),
    output: Array.from(output.dataSync()),
    loss,
    grads,
    adamLosses: losses,
    trainMode: training,
    finalVariables,
  }),
);
console.log(`${id}: ${params.length} variables, loss ${loss}, adam ${losses.join(' ')} -> ${out}`);
