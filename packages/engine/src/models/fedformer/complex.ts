/**
 * Complex arithmetic on real tensors for FEDformer's Fourier blocks: complex weights stored as a
 * real and an imaginary variable, complex matrix products as one real product of stacked halves,
 * and the complex tanh.
 */
import * as tf from '@tensorflow/tfjs-core';
import { complexTanhKernel, complexTanhKernelAvailable } from '../../backend/complex-tanh-kernel.js';
import type { ParamStore } from '../../nn/params.js';

/** A complex weight as its real and imaginary parts, same shape. */
export interface ComplexWeight {
  readonly real: tf.Variable;
  readonly imag: tf.Variable;
}

/**
 * Creates a complex weight of `shape` as `scale·torch.rand(…, dtype=cfloat)` draws it: real and
 * imaginary parts each scale·U(0, 1).
 */
export function createComplexWeight(
  store: ParamStore,
  path: string,
  shape: readonly number[],
  scale: number,
): ComplexWeight {
  return {
    real: store.uniform(`${path}/real`, shape, { low: 0, high: scale }),
    imag: store.uniform(`${path}/imag`, shape, { low: 0, high: scale }),
  };
}

/**
 * The real [.., 2I, 2O] matrix of a complex [.., I, O] weight W = A + iB: [[A, B], [−B, A]], so
 * that [Re x | Im x] · it = [Re(xW) | Im(xW)] for a complex row x of length I.
 */
export function realBlockMatrix(weight: ComplexWeight): tf.Tensor {
  return tf.tidy(() => {
    const axis = weight.real.rank - 1;
    const top = tf.concat([weight.real, weight.imag], axis); // [.., I, 2O]
    const bottom = tf.concat([tf.neg(weight.imag), weight.real], axis); // [.., I, 2O]
    return tf.concat([top, bottom], axis - 1); // [.., 2I, 2O]
  });
}

/** 1/cosh(x) without overflow: 2e^{−|x|}/(1 + e^{−2|x|}). */
function sech(x: tf.Tensor): tf.Tensor {
  const decay = tf.exp(tf.neg(tf.abs(x)));
  return tf.div(tf.mul(decay, 2), tf.add(tf.square(decay), 1));
}

/**
 * tanh(a + ib) = (sinh 2a + i·sin 2b)/(cosh 2a + cos 2b), written with both parts divided by
 * cosh 2a — (tanh 2a + i·sin 2b·sech 2a)/(1 + cos 2b·sech 2a) — so large |a| (FEDformer's
 * unnormalised spectra products reach hundreds) saturates to ±1 instead of ∞/∞.
 */
export function complexTanh(re: tf.Tensor, im: tf.Tensor): [tf.Tensor, tf.Tensor] {
  return tf.tidy(() => {
    const twoA = tf.mul(re, 2);
    const twoB = tf.mul(im, 2);
    const s = sech(twoA);
    const denominator = tf.add(tf.mul(tf.cos(twoB), s), 1);
    return [tf.div(tf.tanh(twoA), denominator), tf.div(tf.mul(tf.sin(twoB), s), denominator)];
  });
}

/**
 * tanh of the complex numbers in the rows of x [.., 2w] — w real parts, then w imaginary parts —
 * in the same layout. On wasm one SIMD pass each way (backend/complex-tanh-kernel.ts), elsewhere
 * {@link complexTanh}'s tensor ops.
 */
export function complexTanhRows<T extends tf.Tensor>(x: T): T {
  if (complexTanhKernelAvailable(x)) return complexTanhKernel(x);
  return tf.tidy(() => {
    const [re, im] = tf.split(x, 2, x.rank - 1);
    return tf.concat(complexTanh(re!, im!), x.rank - 1) as T;
  });
}
