/** Activations by NeuralForecast's (PyTorch's) class names, as NHITS/NBEATS accept them. */
import * as tf from '@tensorflow/tfjs-core';
import { geluKernel, geluKernelAvailable } from '../backend/gelu-kernel.js';
import type { ParamStore } from './params.js';

/** The activation names NHITS, NBEATS and NBEATSx accept (their `ACTIVATIONS` list). */
export const ACTIVATIONS = ['ReLU', 'Softplus', 'Tanh', 'SELU', 'LeakyReLU', 'PReLU', 'Sigmoid'] as const;

/** One of {@link ACTIVATIONS}. */
export type ActivationName = (typeof ACTIVATIONS)[number];

/**
 * An elementwise activation. `fused` names the activation a dense layer may compute inside its
 * matmul op instead (see Linear.apply); only relu has such an op.
 */
export type Activation = (<T extends tf.Tensor>(x: T) => T) & { readonly fused?: 'relu' };

/** ReLU, fusable into a dense layer. */
export const relu: Activation = Object.assign(<T extends tf.Tensor>(x: T): T => tf.relu(x), {
  fused: 'relu' as const,
});

/** 1/√(2π), the standard normal density at 0. */
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * GELU as one op with its own gradient, dy·(Φ(x) + x·φ(x)), reusing the forward's Φ: differentiating
 * the composed ops ran about ten elementwise passes backward instead of six.
 */
const geluOp = tf.customGrad((x, save) => {
  const cdf = tf.mul(tf.add(tf.erf(tf.mul(x as tf.Tensor, Math.SQRT1_2)), 1), 0.5); // Φ(x)
  (save as tf.GradSaveFunc)([x as tf.Tensor, cdf]);
  return {
    value: tf.mul(x as tf.Tensor, cdf),
    gradFunc: (dy, saved) => {
      const [input, phi] = saved as [tf.Tensor, tf.Tensor];
      const density = tf.mul(tf.exp(tf.mul(tf.square(input), -0.5)), INV_SQRT_2PI); // φ(x)
      return [tf.mul(dy, tf.add(phi, tf.mul(input, density)))];
    },
  };
});

/**
 * GELU, exact form as PyTorch's `F.gelu` default (`approximate='none'`): x·Φ(x) = ½x(1 + erf(x/√2)).
 * On wasm one SIMD pass each way (backend/gelu-kernel.ts), elsewhere {@link geluOp}'s tensor ops.
 * Not in {@link ACTIVATIONS}: NHITS/NBEATS do not accept it; BiTCN uses it unconditionally.
 */
export const gelu: Activation = <T extends tf.Tensor>(x: T): T =>
  geluKernelAvailable(x) ? geluKernel(x) : (geluOp(x) as T);

/** PyTorch's `nn.LeakyReLU` default negative slope. */
const LEAKY_SLOPE = 0.01;
/** PyTorch's `nn.PReLU` default initial slope (one shared parameter). */
const PRELU_INIT = 0.25;

/**
 * The activations that own no parameter, by PyTorch's class names in their functional forms
 * (LeakyReLU slope 0.01, ELU α 1, exact GELU): NHITS/NBEATS's list and TFT's `grn_activation` read
 * from here.
 */
export const PLAIN_ACTIVATIONS = {
  ReLU: relu,
  Softplus: (x) => tf.softplus(x),
  Tanh: (x) => tf.tanh(x),
  SELU: (x) => tf.selu(x),
  LeakyReLU: (x) => tf.leakyRelu(x, LEAKY_SLOPE),
  Sigmoid: (x) => tf.sigmoid(x),
  ELU: (x) => tf.elu(x),
  GELU: gelu,
} as const satisfies Readonly<Record<string, Activation>>;

/**
 * Creates an activation. PReLU owns one learnable slope (`<path>/weight`, init 0.25) like
 * `nn.PReLU()`; NeuralForecast builds one activation module per block and reuses it in every layer
 * of that block, so callers create one per block to keep the parameter count equal.
 */
export function createActivation(store: ParamStore, path: string, name: ActivationName): Activation {
  if (name !== 'PReLU') return PLAIN_ACTIVATIONS[name];
  const weight = store.constant(`${path}/weight`, [1], PRELU_INIT);
  // relu(x) - w * relu(-x): PReLU written with ops whose gradients reach the shared slope.
  return (x) => tf.sub(tf.relu(x), tf.mul(weight, tf.relu(tf.neg(x)))) as typeof x;
}
