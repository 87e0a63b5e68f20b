/**
 * `NflabReluBackward`: the backward pass of y = relu(x W + b) in one pass over memory, where
 * TensorFlow.js runs Step, Multiply and Sum (three passes and two intermediates over a [B, 512]
 * activation, nine times per NHITS step). Given dy and y ([rows, cols]) it returns
 *   dz = y > 0 ? dy : 0   and   biasGrad = Σ_rows dz   ([cols]).
 * Registered for the wasm backend (the SIMD kernel, or a JavaScript loop where SIMD is missing) and
 * for cpu (the loop); other backends have no such kernel and callers use tensor ops.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { backendMemory, NATIVE_BACKENDS, type NativeBackendName } from '../native/backend-memory.js';
import { wasmSimd } from './simd/wasm-simd.js';
import { registerOnce } from './wasm-kernel.js';

export const RELU_BACKWARD = 'NflabReluBackward';

/** The loop both backends share when the SIMD kernel is not at hand (same order, same float32 sums). */
export const reluBackwardLoop = (
  dy: Float32Array,
  y: Float32Array,
  dz: Float32Array,
  biasGrad: Float32Array,
  cols: number,
): void => {
  biasGrad.fill(0);
  for (let i = 0, j = 0; i < dz.length; i++, j = j + 1 === cols ? 0 : j + 1) {
    const value = y[i]! > 0 ? dy[i]! : 0;
    dz[i] = value;
    biasGrad[j] = biasGrad[j]! + value;
  }
};

const kernelFor =
  (name: NativeBackendName): KernelFunc =>
  ({ inputs, backend }) => {
    const dy = inputs.dy as TensorInfo;
    const y = inputs.y as TensorInfo;
    const [rows, cols] = y.shape as [number, number];
    const mem = backendMemory(name, backend);
    // Allocate both outputs before taking views: growing the wasm heap detaches earlier views.
    const dz = mem.alloc([rows, cols]);
    const biasGrad = mem.alloc([cols]);
    const simd = name === 'wasm' ? wasmSimd(backend) : null;
    const offsets = simd ? [dy, y, dz, biasGrad].map((t) => simd.offset(t)) : [];
    if (simd && offsets.every((o) => o !== null)) {
      const [pdy, py, pdz, pbias] = offsets as [number, number, number, number];
      simd.kernels.reluBackward(pdy, py, pdz, rows, cols, pbias);
      return [dz, biasGrad];
    }
    const views = [dy, y, dz, biasGrad].map((t) => mem.view(t));
    if (views.some((v) => v === null)) throw new Error(`${RELU_BACKWARD}: inputs must be float32 tensors`);
    const [vdy, vy, vdz, vbias] = views as [Float32Array, Float32Array, Float32Array, Float32Array];
    reluBackwardLoop(vdy, vy, vdz, vbias, cols);
    return [dz, biasGrad];
  };

/** Registers the kernel for wasm and cpu (idempotent; registration does not load the backends). */
export const registerReluBackwardKernels = registerOnce({
  backends: NATIVE_BACKENDS,
  kernels: (backendName) => ({ [RELU_BACKWARD]: kernelFor(backendName) }),
});

/**
 * dz and the bias gradient for dy reaching relu's output y ([rows, cols]); one pass where the
 * active backend has the kernel, Step · Multiply and Sum elsewhere.
 */
export const reluBackward = (dy: tf.Tensor2D, y: tf.Tensor2D): [dz: tf.Tensor2D, biasGrad: tf.Tensor1D] => {
  registerReluBackwardKernels();
  if (tf.getKernel(RELU_BACKWARD, tf.getBackend()) === undefined || y.dtype !== 'float32') {
    const dz = tf.mul<tf.Tensor2D>(dy, tf.step(y));
    return [dz, tf.sum<tf.Tensor1D>(dz, 0)];
  }
  const [dz, biasGrad] = tf
    .engine()
    .runKernel(RELU_BACKWARD, { dy, y } as unknown as tf.NamedTensorMap) as unknown as [
    tf.Tensor2D,
    tf.Tensor1D,
  ];
  return [dz, biasGrad];
};
