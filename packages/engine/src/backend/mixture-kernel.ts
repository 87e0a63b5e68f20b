/**
 * `NflabMixture` and `NflabMixtureBackward`: DeepNPTS' softmax-weighted mixture of the window's
 * values in one SIMD pass each way (kernels.wat). The tensor-op form (models/deepnpts/mixture.ts)
 * ran a transpose, the softmax and a batched matmul of [B, H, L] · [B, L, 1] forward, and twice as
 * many kernels backward, among them a batch of B outer products [H, 1] · [1, L] and a transpose
 * back — about a quarter of a DeepNPTS step. The kernels read the scores in the network's own
 * [B, L·H] layout, so no transpose either way. Results agree with the tensor-op form to float32
 * rounding (the exponential is the kernels' own, relative error under 1e-7). Registered for wasm only.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { backendMemory } from '../native/backend-memory.js';
import { wasmSimd } from './simd/wasm-simd.js';
import { heapOffsets, registerOnce } from './wasm-kernel.js';

export const MIXTURE = 'NflabMixture';
export const MIXTURE_BACKWARD = 'NflabMixtureBackward';

/** scores [B, L·H], y [B, L, 1] -> [out [B, H, 1], weights [B, L·H]]. */
const forward: KernelFunc = ({ inputs, backend }) => {
  const { scores, y } = inputs as Record<string, TensorInfo>;
  const [B, L] = y!.shape as [number, number];
  const H = (scores!.shape[1] ?? 0) / L;
  const memory = backendMemory('wasm', backend);
  const out = memory.alloc([B, H, 1]);
  const w = memory.alloc([B, L * H]);
  if (B * L * H === 0) return [out, w];
  const [s, py, pw, pout] = heapOffsets(backend, [scores!, y!, w, out], MIXTURE);
  wasmSimd(backend)?.kernels.mixture({ s, y: py, w: pw, out: pout }, B, L, H);
  return [out, w];
};

/** g [B, H, 1], weights [B, L·H], y [B, L, 1], out [B, H, 1] -> [dScores [B, L·H], dy [B, L, 1]]. */
const backward: KernelFunc = ({ inputs, backend }) => {
  const { g, w, y, out } = inputs as Record<string, TensorInfo>;
  const [B, L] = y!.shape as [number, number];
  const H = (w!.shape[1] ?? 0) / L;
  const memory = backendMemory('wasm', backend);
  const ds = memory.alloc([B, L * H]);
  const dy = memory.alloc([B, L, 1]);
  if (B * L * H === 0) return [ds, dy];
  const [pg, py, pw, pout, pds, pdy] = heapOffsets(backend, [g!, y!, w!, out!, ds, dy], MIXTURE_BACKWARD);
  wasmSimd(backend)?.kernels.mixtureBackward({ g: pg, y: py, w: pw, out: pout, ds: pds, dy: pdy }, B, L, H);
  return [ds, dy];
};

/** Registers both kernels for wasm (idempotent); the gradient is the op's own (customGrad). */
const registerMixtureKernels = registerOnce({
  kernels: { [MIXTURE]: forward, [MIXTURE_BACKWARD]: backward },
});

let enabled = true;

/** Off: the tensor-op form on every backend (for A/B measurements and equivalence tests). @default on */
export const setMixtureKernelEnabled = (on: boolean): void => {
  enabled = on;
};

/** True when the mixture of these tensors can run as the kernels: wasm with its SIMD kernels, float32. */
export const mixtureKernelAvailable = (scores: tf.Tensor, y: tf.Tensor): boolean =>
  enabled &&
  scores.dtype === 'float32' &&
  y.dtype === 'float32' &&
  tf.getBackend() === 'wasm' &&
  wasmSimd(tf.backend()) !== null;

/**
 * One op with its own gradient; the weights are kept for the backward pass (shared, not copied),
 * which needs nothing else: ds = w·g·(y − out), dy = Σ_j w·g.
 */
const op = tf.customGrad((scores, y, save) => {
  registerMixtureKernels();
  const [out, w] = tf.engine().runKernel(MIXTURE, { scores, y } as unknown as tf.NamedTensorMap) as [
    tf.Tensor3D,
    tf.Tensor2D,
  ];
  (save as tf.GradSaveFunc)([w, y as tf.Tensor, out]);
  return {
    value: out,
    gradFunc: (g: tf.Tensor, saved: tf.Tensor[]) => {
      const [weights, values, mixed] = saved as [tf.Tensor2D, tf.Tensor3D, tf.Tensor3D];
      return tf.engine().runKernel(MIXTURE_BACKWARD, {
        g,
        w: weights,
        y: values,
        out: mixed,
      } as unknown as tf.NamedTensorMap) as [tf.Tensor, tf.Tensor];
    },
  };
});

/**
 * The mixture of {@link mixtureKernelAvailable}: scores [B, L·H] (laid out l·H + j), y [B, L, 1]
 * -> [B, H, 1].
 */
export const mixtureKernel = (scores: tf.Tensor2D, y: tf.Tensor3D): tf.Tensor3D =>
  op(scores, y) as tf.Tensor3D;
