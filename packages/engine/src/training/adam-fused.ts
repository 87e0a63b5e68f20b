/**
 * Adam's whole update for one variable in a single pass over the backend's float32 memory, instead
 * of ten tensor ops that each read and write every element (on wasm that was about a fifth of an
 * NHITS step). Moments are updated in place — the optimiser owns them alone — while the new
 * parameter goes to a fresh buffer, since other tensors may still share the variable's storage.
 * On wasm the pass is the SIMD kernel (float32, as PyTorch computes); on cpu, a JavaScript loop.
 */
import * as tf from '@tensorflow/tfjs-core';
import { wasmSimd } from '../backend/simd/wasm-simd.js';
import { backendMemory, NATIVE_BACKENDS, type NativeBackendName } from '../native/backend-memory.js';

/** The scalars of one Adam update (bias corrections folded in by the caller). */
export interface AdamCoefficients {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** learning_rate / (1 - beta1^t). */
  readonly stepSize: number;
  /** √(1 - beta2^t). */
  readonly rootCorrection2: number;
}

/** The tensors of one variable's update. */
export interface AdamSlot {
  readonly variable: tf.Variable;
  readonly grad: tf.Tensor;
  readonly m: tf.Variable;
  readonly s: tf.Variable;
}

/** True when the active backend's memory can be read and written in place (wasm, cpu). */
export const fusedAdamAvailable = (): boolean =>
  (NATIVE_BACKENDS as readonly string[]).includes(tf.getBackend());

/**
 * Updates `slot` in one pass; returns false (and changes nothing) when a tensor is not plain
 * float32 memory of the active backend, so the caller runs the tensor-op update instead.
 */
export const fusedAdamUpdate = (slot: AdamSlot, c: AdamCoefficients): boolean => {
  const { variable, grad, m, s } = slot;
  if (variable.dtype !== 'float32' || grad.dtype !== 'float32' || grad.size !== variable.size) return false;
  const backend = tf.backend();
  const name = tf.getBackend() as NativeBackendName;
  const mem = backendMemory(name, backend);
  // Allocate before taking views: growing the wasm heap detaches earlier views.
  const out = mem.alloc([...variable.shape]);
  const updated =
    (name === 'wasm' && updateWithSimd(backend, [variable, grad, m, s, out], c)) ||
    updateWithLoop(
      [variable, grad, m, s, out].map((t) => mem.view(t)),
      c,
    );
  if (!updated) {
    (backend as unknown as { disposeData(id: object): void }).disposeData(out.dataId);
    return false;
  }
  const next = tf.engine().makeTensorFromTensorInfo(out);
  variable.assign(next);
  next.dispose();
  return true;
};

type Storage = readonly [
  p: tf.TensorInfo,
  g: tf.TensorInfo,
  m: tf.TensorInfo,
  s: tf.TensorInfo,
  out: tf.TensorInfo,
];

/** The SIMD kernel over the wasm heap; false when the kernels or an offset are unavailable. */
const updateWithSimd = (backend: unknown, tensors: Storage, c: AdamCoefficients): boolean => {
  const simd = wasmSimd(backend);
  const offsets = simd ? tensors.map((t) => simd.offset(t)) : [];
  if (!simd || offsets.some((o) => o === null)) return false;
  const [p, g, m, s, out] = offsets as [number, number, number, number, number];
  const { beta1, beta2, epsilon, stepSize } = c;
  simd.kernels.adam(
    p,
    g,
    m,
    s,
    out,
    tensors[4].shape.reduce((a, d) => a * d, 1),
    {
      beta1,
      beta2,
      epsilon,
      stepSize,
      inverseRoot2: 1 / c.rootCorrection2,
    },
  );
  return true;
};

/** A JavaScript pass over float32 views (float64 arithmetic, stored as float32). */
const updateWithLoop = (views: readonly (Float32Array | null)[], c: AdamCoefficients): boolean => {
  const [p, g, mv, sv, o] = views;
  if (!p || !g || !mv || !sv || !o) return false;
  const { beta1, beta2, epsilon, stepSize } = c;
  const [a1, a2, inverseRoot2, n] = [1 - beta1, 1 - beta2, 1 / c.rootCorrection2, o.length];
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    const mi = beta1 * mv[i]! + a1 * gi;
    const si = beta2 * sv[i]! + a2 * gi * gi;
    mv[i] = mi;
    sv[i] = si;
    // PyTorch's order: p -= lr/c1 · m / (√s / √c2 + eps); the division by √c2 is a product with its
    // inverse (computed in float64, then stored as float32), 12% faster in this loop.
    o[i] = p[i]! - (stepSize * mi) / (Math.sqrt(si) * inverseRoot2 + epsilon);
  }
  return true;
};
