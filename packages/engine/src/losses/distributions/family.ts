/** What the distribution loss needs from one distribution family. */
import type * as tf from '@tensorflow/tfjs-core';
import type { WindowScale } from '../types.js';
import type { Rng } from '@nflab/contracts';

/** Distribution names, exactly as NeuralForecast's `DistributionLoss(distribution=...)`. */
export type DistributionName = 'Normal' | 'StudentT' | 'Poisson' | 'NegativeBinomial';

/** One family: parameter layout, scale decoupling, likelihood, mean and a sampler. */
export interface DistributionFamily {
  readonly name: DistributionName;
  /** NeuralForecast's parameter names (`-loc`, `-scale` …); their count is the raw outputs per step. */
  readonly paramNames: readonly string[];
  /**
   * NeuralForecast's `scale_decouple`: raw outputs [B, H, 1] each (in `paramNames` order) to the
   * distribution's parameters in the original space, anchored on the window's loc / scale, with the
   * domain protection (softplus, offsets) of the family.
   */
  decouple(raw: readonly tf.Tensor3D[], scale: WindowScale): tf.Tensor3D[];
  /** Log-density (or log-mass) of y [B, H, 1] under the parameters. */
  logProb(y: tf.Tensor3D, params: readonly tf.Tensor3D[]): tf.Tensor;
  /** Analytic mean [B, H, 1]. */
  mean(params: readonly tf.Tensor3D[]): tf.Tensor;
  /** One draw for one step's parameters (plain numbers, `paramNames` order after decoupling). */
  draw(rng: Rng, params: readonly number[]): number;
}

/** The n-th decoupled parameter; the family's layout guarantees it exists. */
export function at(params: readonly tf.Tensor3D[], index: number): tf.Tensor3D {
  const p = params[index];
  if (p === undefined) throw new RangeError(`distribution parameter ${index} missing`);
  return p;
}

/** The n-th number of one step's parameters. */
export function num(params: readonly number[], index: number): number {
  return params[index] as number;
}
