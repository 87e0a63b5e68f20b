/**
 * Adam with PyTorch's update rule (bias-corrected moments, eps added to the corrected root), and a
 * learning rate the caller sets every step, which StepLR needs and tfjs' own Adam does not expose.
 */
import * as tf from '@tensorflow/tfjs-core';
import { fusedAdamAvailable, fusedAdamUpdate } from './adam-fused.js';

/** Options of {@link createAdam}. @see Kingma & Ba (2015), "Adam: A Method for Stochastic Optimization". */
export interface AdamOptions {
  /** @default 0.9 */
  readonly beta1?: number;
  /** @default 0.999 */
  readonly beta2?: number;
  /** PyTorch's default. @default 1e-8 */
  readonly epsilon?: number;
  /**
   * Update each variable in one pass over the backend's memory (wasm, cpu) rather than with
   * tensor ops; other backends always use tensor ops. @default true
   */
  readonly fused?: boolean;
}

/** An Adam optimiser over a fixed list of variables. */
export interface Adam {
  /** Applies one update with `grads` (same order as the variables) at `learningRate`. */
  step(grads: readonly tf.Tensor[], learningRate: number): void;
  /** Frees the moment estimates. */
  dispose(): void;
}

/** Creates an Adam optimiser for `variables`. */
export const createAdam = (variables: readonly tf.Variable[], options: AdamOptions = {}): Adam => {
  const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, fused = true } = options;
  const zeros = (v: tf.Variable): tf.Variable => {
    // The variable registers its own handle on the data, so the initial tensor is freed at once.
    const initial = tf.zerosLike(v);
    const moment = tf.variable(initial, false);
    initial.dispose();
    return moment;
  };
  const m = variables.map(zeros);
  const s = variables.map(zeros);
  let t = 0;
  return {
    step(grads, learningRate) {
      t += 1;
      const c1 = 1 - beta1 ** t;
      const c2 = 1 - beta2 ** t;
      const coefficients = {
        beta1,
        beta2,
        epsilon,
        stepSize: learningRate / c1,
        rootCorrection2: Math.sqrt(c2),
      };
      const inPlace = fused && fusedAdamAvailable();
      tf.tidy(() => {
        variables.forEach((variable, i) => {
          const g = grads[i] as tf.Tensor;
          const mi = m[i] as tf.Variable;
          const si = s[i] as tf.Variable;
          if (inPlace && fusedAdamUpdate({ variable, grad: g, m: mi, s: si }, coefficients)) return;
          mi.assign(tf.add(tf.mul(mi, beta1), tf.mul(g, 1 - beta1)));
          si.assign(tf.add(tf.mul(si, beta2), tf.mul(tf.square(g), 1 - beta2)));
          // p -= lr * (m / c1) / (sqrt(s / c2) + eps), PyTorch's order of operations.
          const denom = tf.add(tf.div(tf.sqrt(si), Math.sqrt(c2)), epsilon);
          variable.assign(tf.sub(variable, tf.mul(tf.div(mi, denom), learningRate / c1)));
        });
      });
    },
    dispose() {
      tf.dispose([...m, ...s]);
    },
  };
};
