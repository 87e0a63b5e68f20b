/**
 * TSMixerx's residual-and-norm, `LayerNorm_(h,C)(a + b)` (every temporal and feature mixing ends with
 * it), as one op with its own gradient. Composed from tf ops it is the sum, the moments and the
 * affine map — about eleven kernels forward and twenty-five backward, each a tensor the tape keeps
 * and clones — on [32, 12·64] windows where a kernel's dispatch costs more than its arithmetic.
 * Here the forward is one pass per row keeping only its mean and 1/σ beside the inputs, and the
 * backward one pass per row recomputing the rest. Kernels for cpu and wasm write into the backends'
 * memory; other backends run the tf-op composition.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { registerOnce } from '../../backend/wasm-kernel.js';
import {
  backendMemory,
  float32Views,
  NATIVE_BACKENDS,
  type NativeBackendName,
} from '../../native/backend-memory.js';

export const ADD_NORM_FORWARD = 'NflabAddNormForward';
export const ADD_NORM_BACKWARD = 'NflabAddNormBackward';

/** The kernels' attribute: PyTorch's LayerNorm epsilon. */
interface AddNormAttrs {
  readonly eps: number;
}

/** a, b [R, w] (w = the gain's size), gain and shift [w] -> y = LayerNorm(a + b) [R, w], mean [R], 1/σ [R] (biased variance). */
export function addNormForward(
  v: { a: Float32Array; b: Float32Array; gamma: Float32Array; beta: Float32Array },
  out: { y: Float32Array; mean: Float32Array; rstd: Float32Array },
  eps: number,
): void {
  const w = v.gamma.length;
  const rows = out.mean.length;
  const { a, b, gamma, beta } = v;
  const { y } = out;
  for (let r = 0; r < rows; r++) {
    const o = r * w;
    let sum = 0;
    for (let j = 0; j < w; j++) {
      const value = a[o + j]! + b[o + j]!;
      y[o + j] = value;
      sum += value;
    }
    const mean = sum / w;
    let squares = 0;
    for (let j = 0; j < w; j++) {
      const c = y[o + j]! - mean;
      squares += c * c;
    }
    const rstd = 1 / Math.sqrt(squares / w + eps);
    for (let j = 0; j < w; j++) y[o + j] = (y[o + j]! - mean) * rstd * gamma[j]! + beta[j]!;
    out.mean[r] = mean;
    out.rstd[r] = rstd;
  }
}

/**
 * dOut [R, w] with the forward's a, b, gain, mean and 1/σ -> dx [R, w] (the gradient of a and of b)
 * and the gain and shift gradients [w]. Per row, with x̂ the normalised sum and d̂ = dOut·γ:
 * dx = (d̂ − mean(d̂) − x̂·mean(d̂·x̂))/σ.
 */
export function addNormBackward(
  v: {
    dy: Float32Array;
    a: Float32Array;
    b: Float32Array;
    gamma: Float32Array;
    mean: Float32Array;
    rstd: Float32Array;
  },
  out: { dx: Float32Array; dgamma: Float32Array; dbeta: Float32Array },
): void {
  const w = v.gamma.length;
  const rows = v.mean.length;
  const { dy, a, b, gamma } = v;
  const { dx } = out;
  const dgamma = new Float64Array(w);
  const dbeta = new Float64Array(w);
  const xHat = new Float64Array(w);
  for (let r = 0; r < rows; r++) {
    const o = r * w;
    const [mean, rstd] = [v.mean[r]!, v.rstd[r]!];
    let sumD = 0;
    let sumDX = 0;
    for (let j = 0; j < w; j++) {
      const x = (a[o + j]! + b[o + j]! - mean) * rstd;
      const d = dy[o + j]!;
      const dHat = d * gamma[j]!;
      dgamma[j] = dgamma[j]! + d * x;
      dbeta[j] = dbeta[j]! + d;
      sumD += dHat;
      sumDX += dHat * x;
      xHat[j] = x;
    }
    const [meanD, meanDX] = [sumD / w, sumDX / w];
    for (let j = 0; j < w; j++) dx[o + j] = (dy[o + j]! * gamma[j]! - meanD - xHat[j]! * meanDX) * rstd;
  }
  out.dgamma.set(dgamma);
  out.dbeta.set(dbeta);
}

const forwardKernel =
  (name: NativeBackendName): KernelFunc =>
  ({ inputs, backend, attrs }) => {
    const { a, b, gamma, beta } = inputs as Record<string, TensorInfo>;
    const mem = backendMemory(name, backend);
    // The gain covers the normalised trailing axes; every leading index is one row.
    const rows = a!.shape.reduce((p, d) => p * d, 1) / gamma!.shape.reduce((p, d) => p * d, 1);
    const outs = [mem.alloc([...a!.shape]), mem.alloc([rows]), mem.alloc([rows])];
    const [va, vb, vgamma, vbeta, y, mean, rstd] = float32Views(
      name,
      backend,
      [a!, b!, gamma!, beta!, ...outs],
      ADD_NORM_FORWARD,
    );
    addNormForward(
      { a: va!, b: vb!, gamma: vgamma!, beta: vbeta! },
      { y: y!, mean: mean!, rstd: rstd! },
      (attrs as unknown as AddNormAttrs).eps,
    );
    return outs;
  };

const backwardKernel =
  (name: NativeBackendName): KernelFunc =>
  ({ inputs, backend }) => {
    const { dy, a, b, gamma, mean, rstd } = inputs as Record<string, TensorInfo>;
    const mem = backendMemory(name, backend);
    const outs = [mem.alloc([...a!.shape]), mem.alloc([...gamma!.shape]), mem.alloc([...gamma!.shape])];
    const views = float32Views(
      name,
      backend,
      [dy!, a!, b!, gamma!, mean!, rstd!, ...outs],
      ADD_NORM_BACKWARD,
    );
    const [vdy, va, vb, vgamma, vmean, vrstd, dx, dgamma, dbeta] = views;
    addNormBackward(
      { dy: vdy!, a: va!, b: vb!, gamma: vgamma!, mean: vmean!, rstd: vrstd! },
      { dx: dx!, dgamma: dgamma!, dbeta: dbeta! },
    );
    return outs;
  };

/** Registers both kernels for cpu and wasm (idempotent; registration does not load the backends). */
const registerAddNormKernels = registerOnce({
  backends: NATIVE_BACKENDS,
  kernels: (backendName) => ({
    [ADD_NORM_FORWARD]: forwardKernel(backendName),
    [ADD_NORM_BACKWARD]: backwardKernel(backendName),
  }),
});

const runKernel = (name: string, inputs: tf.NamedTensorMap, attrs: AddNormAttrs): tf.Tensor[] =>
  tf.engine().runKernel(name, inputs, attrs as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];

/** `LayerNorm(a + b)` over the trailing gain-shaped axes, composed from tf ops and differentiated by the tape (the reference). */
export function addNormReference<T extends tf.Tensor>(
  a: T,
  b: T,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  eps: number,
): T {
  return tf.tidy(() => {
    const x = tf.add(a, b);
    const axes = gamma.shape.map((_, i) => x.rank - gamma.rank + i);
    const { mean, variance } = tf.moments(x, axes, true);
    const normed = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps)));
    return tf.add(tf.mul(normed, gamma), beta) as T;
  });
}

/**
 * a, b [..., *shape] -> LayerNorm_shape(a + b) with gain and shift of `shape` (PyTorch's
 * `nn.LayerNorm(normalized_shape=shape)` over the sum): one mean and variance per leading index.
 */
export function addNorm<T extends tf.Tensor>(a: T, b: T, gamma: tf.Tensor, beta: tf.Tensor, eps: number): T {
  registerAddNormKernels();
  if (tf.getKernel(ADD_NORM_FORWARD, tf.getBackend()) === undefined || a.dtype !== 'float32')
    return addNormReference(a, b, gamma, beta, eps);
  const attrs: AddNormAttrs = { eps };
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const [aIn, bIn, gammaIn, betaIn] = args as tf.Tensor[];
    const [out, mean, rstd] = runKernel(
      ADD_NORM_FORWARD,
      { a: aIn!, b: bIn!, gamma: gammaIn!, beta: betaIn! },
      attrs,
    );
    save([aIn!, bIn!, gammaIn!, mean!, rstd!]);
    return {
      value: out!,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [aS, bS, gammaS, meanS, rstdS] = saved;
        const [dx, dgamma, dbeta] = runKernel(
          ADD_NORM_BACKWARD,
          { dy, a: aS!, b: bS!, gamma: gammaS!, mean: meanS!, rstd: rstdS! },
          attrs,
        );
        // a and b get the same gradient; the tape disposes each of its gradients, so b gets a copy.
        return [dx!, tf.clone(dx!), dgamma!, dbeta!];
      },
    };
  });
  return op(a, b, gamma, beta) as T;
}
