/** Shared fixtures of the loss tests: tiny tensors and a leak check. */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { LossInputs, WindowScale } from '../src/losses/index.js';

/** [B, H, 1] from rows. */
export function col(rows: number[][]): tf.Tensor3D {
  return tf.tensor3d(rows.map((r) => r.map((v) => [v])));
}

/** Identity window scale for B windows. */
export function identityScale(b: number): WindowScale {
  return { loc: tf.zeros([b, 1, 1]), scale: tf.ones([b, 1, 1]) };
}

/** Builds loss inputs; the caller disposes them with {@link disposeInputs}. */
export function inputs(options: {
  y: number[][];
  yHat: number[][][] | number[][];
  mask?: number[][];
  insample?: number[][];
  scale?: WindowScale;
}): LossInputs {
  const b = options.y.length;
  const yHat3 =
    options.yHat[0]?.[0] !== undefined && Array.isArray(options.yHat[0][0])
      ? tf.tensor3d(options.yHat as number[][][])
      : col(options.yHat as number[][]);
  const insample = options.insample ?? options.y.map(() => [0, 0]);
  return {
    y: col(options.y),
    yHat: yHat3,
    mask: col(options.mask ?? options.y.map((r) => r.map(() => 1))),
    scale: options.scale ?? identityScale(b),
    yInsample: col(insample),
    insampleMask: col(insample.map((r) => r.map(() => 1))),
  };
}

/** Frees every tensor of loss inputs. */
export function disposeInputs(i: LossInputs): void {
  tf.dispose([i.y, i.yHat, i.mask, i.scale.loc, i.scale.scale, i.yInsample, i.insampleMask]);
}

/** Reads a scalar and frees it. */
export function take(t: tf.Tensor): number {
  const v = t.dataSync()[0] as number;
  t.dispose();
  return v;
}
