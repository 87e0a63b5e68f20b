/**
 * softmax(scale · x) over the last axis with its backward as one kernel: dx = scale · y · (dy −
 * Σ dy·y) per row, in one pass over dy and y. TensorFlow.js differentiates the softmax as four ops
 * (dy·y, its row sums, their product with y, the difference) and the scale as a fifth; over
 * VanillaTransformer's [4096, 24, 24] attention scores that was ~9 ms of CPU a call, four calls a
 * step. `NflabSoftmaxBackward` runs on wasm as a SIMD kernel (kernels.wat), on cpu as a JavaScript
 * loop over the tensors' own storage; other backends keep the ops. The forward is TensorFlow.js' own softmax (of the scaled scores), as before.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { wasmSimd } from '../backend/simd/wasm-simd.js';
import { registerOnce } from '../backend/wasm-kernel.js';
import { backendMemory, NATIVE_BACKENDS, type NativeBackendName } from '../native/backend-memory.js';

const size = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

export const SOFTMAX_BACKWARD = 'NflabSoftmaxBackward';

/**
 * dx = scale · (dy·y − (Σ_row dy·y)·y) for rows of `width`, in float32 at every step as the ops
 * compute it (the row sum accumulated in order). dx may not alias dy or y.
 */
export function softmaxBackwardInto(
  dy: Float32Array,
  y: Float32Array,
  dx: Float32Array,
  width: number,
  scale: number,
): void {
  const fround = Math.fround;
  for (let start = 0; start < y.length; start += width) {
    const end = start + width;
    let dot = 0;
    for (let i = start; i < end; i++) dot = fround(dot + fround(dy[i]! * y[i]!));
    for (let i = start; i < end; i++) {
      const diff = fround(fround(dy[i]! * y[i]!) - fround(dot * y[i]!));
      dx[i] = scale === 1 ? diff : diff * scale;
    }
  }
}

const kernelFor =
  (name: NativeBackendName): KernelFunc =>
  ({ inputs, backend, attrs }) => {
    const { dy, y } = inputs as { dy: TensorInfo; y: TensorInfo };
    const { scale } = attrs as unknown as { scale: number };
    const mem = backendMemory(name, backend);
    const dx = mem.alloc([...y.shape]); // before the views: allocation may move the wasm heap
    const width = y.shape[y.shape.length - 1] ?? 1;
    const simd = name === 'wasm' ? wasmSimd(backend) : null;
    const offsets = simd ? [dy, y, dx].map((t) => simd.offset(t)) : [];
    if (simd && offsets.every((o) => o !== null) && width > 0) {
      const [pdy, py, pdx] = offsets as [number, number, number];
      simd.kernels.softmaxBackward(pdy, py, pdx, size(y.shape) / width, width, scale);
      return dx;
    }
    const [vdy, vy, vdx] = [mem.view(dy), mem.view(y), mem.view(dx)];
    if (!vdy || !vy || !vdx) throw new Error(`${SOFTMAX_BACKWARD}: dy and y must be float32 tensors`);
    softmaxBackwardInto(vdy, vy, vdx, width, scale);
    return dx;
  };

const register = registerOnce({
  backends: NATIVE_BACKENDS,
  kernels: (backendName) => ({ [SOFTMAX_BACKWARD]: kernelFor(backendName) }),
});

let fused = true;

/** Off: the scaled softmax as TensorFlow.js' ops both ways (A/B runs, tests). @default on */
export const setFusedSoftmaxBackward = (on: boolean): void => {
  fused = on;
};

/** The backward by the ops, as TensorFlow.js differentiates mul-then-softmax. */
const backwardByOps = (dy: tf.Tensor, y: tf.Tensor, scale: number): tf.Tensor => {
  const dyTimesY = tf.mul(dy, y);
  const dx = tf.sub(dyTimesY, tf.mul(tf.sum(dyTimesY, -1, true), y));
  return scale === 1 ? dx : tf.mul(dx, scale);
};

const scaledSoftmaxOps = new Map<number, (x: tf.Tensor) => tf.Tensor>();

/** The op of one scale: the forward as TensorFlow.js' softmax, the backward as one kernel. */
const opOf = (scale: number): ((x: tf.Tensor) => tf.Tensor) => {
  let op = scaledSoftmaxOps.get(scale);
  if (op === undefined) {
    op = tf.customGrad((x, save) => {
      const y = tf.softmax(scale === 1 ? (x as tf.Tensor) : tf.mul(x as tf.Tensor, scale));
      (save as tf.GradSaveFunc)([y]);
      return {
        value: y,
        gradFunc: (dy, saved) => {
          const [out] = saved as [tf.Tensor];
          const kernel = tf.getKernel(SOFTMAX_BACKWARD, tf.getBackend()) !== undefined;
          return kernel
            ? (tf
                .engine()
                .runKernel(
                  SOFTMAX_BACKWARD,
                  { dy, y: out } as unknown as tf.NamedTensorMap,
                  { scale } as unknown as tf.NamedAttrMap,
                ) as tf.Tensor)
            : backwardByOps(dy as tf.Tensor, out, scale);
        },
      };
    }) as (x: tf.Tensor) => tf.Tensor;
    scaledSoftmaxOps.set(scale, op);
  }
  return op;
};

/** softmax(scale · x) over the last axis; one backward kernel on cpu and wasm. */
export function scaledSoftmax<T extends tf.Tensor>(x: T, scale = 1): T {
  if (!fused) return tf.softmax(scale === 1 ? x : tf.mul(x, scale)) as T;
  register();
  return opOf(scale)(x) as T;
}
