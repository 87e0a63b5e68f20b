/**
 * A univariate network's training step at the zoo yardstick's shapes (input_size 24, h 12, no
 * exogenous, seed 1) on one fixed random batch: forward, MAE, gradients of every variable — what
 * the profile and A/B scripts time.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelNetwork, UnivariateModelSpec } from '../../packages/engine/src/model/types.js';

const [L, h] = [24, 12];

/** `spec` built with `config`, and its step over `windows` windows at dropout seed `seed` (returning the loss). */
export function yardstickStep<Config extends Record<string, unknown>>(
  spec: UnivariateModelSpec<Config>,
  config: Config,
  windows: number,
): { readonly network: ModelNetwork; readonly step: (seed: number) => number } {
  const network = spec.build(
    config,
    { h, inputSize: L, futrExogSize: 0, histExogSize: 0, statExogSize: 0, nOutputs: 1 },
    1,
  );
  const y = tf.randomNormal([windows, L, 1], 0, 1, 'float32', 3) as tf.Tensor3D;
  const mask = tf.onesLike(y);
  const target = tf.randomNormal([windows, h, 1], 0, 1, 'float32', 4);
  const step = (seed: number): number => {
    const { value, grads } = tf.variableGrads(
      () =>
        tf.mean(
          tf.abs(
            tf.sub(network.forward({ insampleY: y, insampleMask: mask }, { training: true, seed }), target),
          ),
        ) as tf.Scalar,
      [...network.variables],
    );
    const loss = value.dataSync()[0]!;
    tf.dispose([value, ...Object.values(grads)]);
    return loss;
  };
  return { network, step };
}
