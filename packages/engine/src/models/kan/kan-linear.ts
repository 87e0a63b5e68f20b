/**
 * NeuralForecast's `KANLinear`: y = SiLU(x)·W_baseᵀ + Σ_c B_c(x)·(W_spline ⊙ scaler), one learnable
 * B-spline per (input, output) edge on a fixed uniform grid.
 * @see Liu et al. (2024), "KAN: Kolmogorov-Arnold Networks"; NeuralForecast's `KANLinear`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../../nn/params.js';
import { interiorPseudoInverse, uniformKnots } from './bspline.js';
import { splineBases } from './bspline-kernel.js';

/** Options of {@link createKanLinear}, NeuralForecast's KANLinear arguments (variables `<path>/base/weight`, `<path>/spline/weight`, `<path>/spline_scaler/weight`: NF's base_weight, spline_weight, spline_scaler). */
export interface KanLinearOptions {
  /** Variable path under the model, e.g. `layer_0`. */
  readonly path: string;
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly gridSize: number;
  readonly splineOrder: number;
  readonly scaleNoise: number;
  readonly scaleBase: number;
  readonly scaleSpline: number;
  readonly gridRange: readonly [number, number];
}

/** One KAN layer over [N, in] → [N, out]. */
export interface KanLinear {
  /** [in, out] base weight (PyTorch's [out, in] transposed). */
  readonly baseWeight: tf.Variable;
  /** [in, gridSize + order, out] spline coefficients (PyTorch's [out, in, coeff] permuted). */
  readonly splineWeight: tf.Variable;
  /** [in, out] per-edge spline scale (`enable_standalone_scale_spline`, always on in NeuralForecast's KAN). */
  readonly splineScaler: tf.Variable;
  readonly knots: readonly number[];
  apply(x: tf.Tensor2D): tf.Tensor2D;
}

/** `kaiming_uniform_(w, a)` bound for fan_in: gain·√(3/fan_in), gain = √(2/(1+a²)). */
const kaimingBound = (a: number, fanIn: number): number => Math.sqrt(2 / (1 + a * a)) * Math.sqrt(3 / fanIn);

/**
 * Creates a KANLinear with NeuralForecast's initialisation, drawn in its order: the base weight
 * (kaiming_uniform, a = √5·scale_base), the spline coefficients (minimum-norm fit of
 * U(−½, ½)·scale_noise/grid_size noise at the grid_size + 1 interior knots), then the scaler
 * (kaiming_uniform, a = √5·scale_spline). No bias, as in NeuralForecast.
 */
export function createKanLinear(store: ParamStore, o: KanLinearOptions): KanLinear {
  const { inFeatures: I, outFeatures: O, gridSize: G, splineOrder: K } = o;
  const C = G + K;
  const knots = uniformKnots(G, K, o.gridRange);
  const baseBound = kaimingBound(Math.sqrt(5) * o.scaleBase, I);
  const baseWeight = store.uniform(`${o.path}/base/weight`, [I, O], { low: -baseBound, high: baseBound });

  // noise[j][i][o] for the G+1 interior knots, drawn in PyTorch's (G+1, in, out) order.
  const noise = new Float64Array((G + 1) * I * O);
  for (let n = 0; n < noise.length; n += 1) noise[n] = (store.rng.uniform(0, 1) - 0.5) * (o.scaleNoise / G);
  const pinv = interiorPseudoInverse(knots, G, K); // [C][G+1]
  const coeffs = new Float32Array(I * C * O);
  for (let i = 0; i < I; i += 1)
    for (let c = 0; c < C; c += 1)
      for (let out = 0; out < O; out += 1) {
        let s = 0;
        for (let j = 0; j <= G; j += 1) s += pinv[c]![j]! * noise[(j * I + i) * O + out]!;
        coeffs[(i * C + c) * O + out] = s;
      }
  const splineWeight = store.constant(`${o.path}/spline/weight`, [I, C, O], 0);
  tf.tidy(() => splineWeight.assign(tf.tensor3d(coeffs, [I, C, O])));

  const scalerBound = kaimingBound(Math.sqrt(5) * o.scaleSpline, I);
  const splineScaler = store.uniform(`${o.path}/spline_scaler/weight`, [I, O], {
    low: -scalerBound,
    high: scalerBound,
  });

  return {
    baseWeight,
    splineWeight,
    splineScaler,
    knots,
    apply(x) {
      return tf.tidy(() => {
        const N = x.shape[0];
        const silu = tf.mul(x, tf.sigmoid(x)); // torch.nn.SiLU
        const base = tf.matMul(silu, baseWeight); // [N, in] x [in, out]
        const scaled = tf.mul(splineWeight, tf.expandDims(splineScaler, 1)); // [in, C, out]
        const bases = tf.reshape(splineBases(x, knots, K), [N, I * C]); // [N, in, C] -> [N, in*C]
        const spline = tf.matMul(bases, tf.reshape(scaled, [I * C, O])); // [N, in*C] x [in*C, out]
        return tf.add(base, spline);
      });
    },
  };
}
