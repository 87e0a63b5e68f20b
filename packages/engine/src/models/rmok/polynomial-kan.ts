/**
 * RMoK's two polynomial KAN experts (NeuralForecast's `TaylorKANLayer` and `JacobiKANLayer`): every
 * (input, output) edge is a learnable polynomial of its input, summed at the output. Unlike KAN's
 * B-spline `KANLinear` (../kan/kan-linear.ts) they have no base branch and no grid.
 * @see Han et al. (2024), "KAN4TSF: Are KAN and KAN-based models Effective for Time Series Forecasting?". https://arxiv.org/abs/2408.11306
 */
import * as tf from '@tensorflow/tfjs-core';
import { normalVariable } from '../../nn/normal-init.js';
import type { ParamStore } from '../../nn/params.js';

/** A KAN layer over [M, in] → [M, out]. */
export interface KanExpert {
  apply(x: tf.Tensor2D): tf.Tensor2D;
}

/** Sizes of a polynomial KAN layer. */
export interface PolynomialKanOptions {
  /** Variable path (`taylor`, `jacobi`). */
  readonly path: string;
  readonly inFeatures: number;
  readonly outFeatures: number;
}

/**
 * [M, in] features times [in·T, out] coefficients, where `terms` gives the T basis values of x as
 * [M, in] tensors: Σ_i Σ_t term_t(x_i)·c[i, t, o] as one matmul over [M, T·in]. The terms are
 * stacked on a new leading axis (whole-tensor copies; a stack on the last axis copies row by row in
 * JavaScript, forward and in its gradient) and moved behind the rows by one transpose kernel; the
 * small coefficient tensor is permuted to the same (t, i) order.
 */
const contract = (terms: readonly tf.Tensor2D[], coeffs: tf.Variable): tf.Tensor2D => {
  const [M, I] = (terms[0] as tf.Tensor2D).shape;
  const T = terms.length;
  const basis = tf.reshape(tf.transpose(tf.stack([...terms]), [1, 0, 2]), [M, T * I]); // [T, M, in] -> [M, T, in] -> [M, T*in]
  const ordered = tf.reshape(tf.transpose(coeffs, [1, 0, 2]), [T * I, -1]); // [in, T, out] -> [T, in, out] -> [T*in, out]
  return tf.matMul(basis, ordered) as tf.Tensor2D; // [M, T*in] x [T*in, out]
};

/**
 * `TaylorKANLayer(in, out, order, addbias=True)`: y_o = Σ_i Σ_{k<order} c[i, k, o]·x_iᵏ + b_o, with
 * x⁰ = 1 everywhere (PyTorch's 0**0 = 1). Coefficients N(0, 0.01²), bias 0, as NeuralForecast.
 */
export function createTaylorKan(
  store: ParamStore,
  options: PolynomialKanOptions & { readonly order: number },
): KanExpert {
  const { path, inFeatures: I, outFeatures: O, order } = options;
  const coeffs = normalVariable(store, `${path}/coeffs/weight`, [I, order, O], 0.01); // NF's [out, in, order], permuted
  const bias = store.constant(`${path}/bias`, [O], 0);
  return {
    apply(x) {
      return tf.tidy(() => {
        const powers: tf.Tensor2D[] = [tf.onesLike(x)];
        for (let k = 1; k < order; k += 1) powers.push(tf.mul(powers[k - 1] as tf.Tensor2D, x));
        return tf.add(contract(powers, coeffs), bias);
      });
    },
  };
}

/**
 * The three-term recurrence of the Jacobi polynomials P_n^(a,b) (NeuralForecast's `theta_k`,
 * `theta_k1`, `theta_k2`): P_n = (A_n·x + B_n)·P_{n−1} − C_n·P_{n−2} for n ≥ 2.
 */
export function jacobiRecurrence(n: number, a: number, b: number): { A: number; B: number; C: number } {
  const s = 2 * n + a + b;
  return {
    A: (s * (s - 1)) / (2 * n * (n + a + b)),
    B: ((s - 1) * (a * a - b * b)) / (2 * n * (n + a + b) * (s - 2)),
    C: ((n + a - 1) * (n + b - 1) * s) / (n * (n + a + b) * (s - 2)),
  };
}

/**
 * `JacobiKANLayer(in, out, degree, a=1, b=1)`: y_o = Σ_i Σ_{d≤degree} c[i, d, o]·P_d(tanh x_i), with
 * P_0 = 1, P_1 = ((a − b) + (a + b + 2)·x)/2 and {@link jacobiRecurrence} above. Coefficients
 * N(0, (1/(in·(degree+1)))²), as NeuralForecast; RMoK always uses a = b = 1.
 */
export function createJacobiKan(
  store: ParamStore,
  options: PolynomialKanOptions & { readonly degree: number; readonly a?: number; readonly b?: number },
): KanExpert {
  const { path, inFeatures: I, outFeatures: O, degree } = options;
  const a = options.a ?? 1;
  const b = options.b ?? 1;
  const D = degree + 1;
  const coeffs = normalVariable(store, `${path}/coeffs/weight`, [I, D, O], 1 / (I * D));
  return {
    apply(input) {
      return tf.tidy(() => {
        const x = tf.tanh(input); // the polynomials live on [−1, 1]
        const p: tf.Tensor2D[] = [tf.onesLike(x)];
        if (degree > 0) p.push(tf.add(tf.mul(x, (a + b + 2) / 2), (a - b) / 2));
        for (let n = 2; n <= degree; n += 1) {
          const { A, B, C } = jacobiRecurrence(n, a, b);
          const prev = p[n - 1] as tf.Tensor2D;
          p.push(tf.sub(tf.mul(tf.add(tf.mul(x, A), B), prev), tf.mul(p[n - 2] as tf.Tensor2D, C)));
        }
        return contract(p, coeffs);
      });
    },
  };
}
