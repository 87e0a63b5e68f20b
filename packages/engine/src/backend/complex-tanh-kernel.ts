/**
 * `NflabComplexTanh` and its backward `NflabComplexTanhBackward`: the complex tanh of FEDformer's
 * cross Fourier attention in one SIMD pass each way (kernels.wat), over rows of 2w floats — w real
 * parts, then w imaginary parts, the layout its complex products come in. The tensor-op form
 * (fedformer/complex.ts) ran about a dozen kernels forward, twice as many backward, among them
 * TensorFlow.js' wasm Sin and Cos at tens of ns per element, over [B·8, modes, modes] scores: the
 * largest elementwise cost of a FEDformer step. The backward needs only the output (tanh' = 1 − tanh²).
 * Results agree with the tensor-op form to float32 rounding. Registered for wasm only.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { backendMemory } from '../native/backend-memory.js';
import { wasmSimd } from './simd/wasm-simd.js';
import { heapOffsets, registerOnce } from './wasm-kernel.js';

export const COMPLEX_TANH = 'NflabComplexTanh';
export const COMPLEX_TANH_BACKWARD = 'NflabComplexTanhBackward';

/** [rows, w] of complex rows of 2w floats along the last axis. */
const rowsHalf = (shape: readonly number[]): [number, number] => {
  const last = shape[shape.length - 1] ?? 0;
  const n = shape.reduce((p, d) => p * d, 1);
  return [last === 0 ? 0 : n / last, last / 2];
};

const forward: KernelFunc = ({ inputs, backend }) => {
  const x = inputs.x as TensorInfo;
  const out = backendMemory('wasm', backend).alloc([...x.shape]);
  const [rows, w] = rowsHalf(x.shape);
  if (rows * w === 0) return out;
  const [px, pout] = heapOffsets(backend, [x, out], COMPLEX_TANH);
  wasmSimd(backend)?.kernels.complexTanh(px, pout, rows, w);
  return out;
};

const backward: KernelFunc = ({ inputs, backend }) => {
  const { dy, y } = inputs as Record<string, TensorInfo>;
  const dx = backendMemory('wasm', backend).alloc([...y!.shape]);
  const [rows, w] = rowsHalf(y!.shape);
  if (rows * w === 0) return dx;
  const [pdy, py, pdx] = heapOffsets(backend, [dy!, y!, dx], COMPLEX_TANH_BACKWARD);
  wasmSimd(backend)?.kernels.complexTanhBackward(pdy, py, pdx, rows, w);
  return dx;
};

/** Registers both kernels for wasm and the forward kernel's gradient (idempotent). */
const registerComplexTanhKernels = registerOnce({
  kernels: { [COMPLEX_TANH]: forward, [COMPLEX_TANH_BACKWARD]: backward },
  gradients: [
    {
      kernelName: COMPLEX_TANH,
      outputsToSave: [true],
      gradFunc: (dy, saved) => {
        const [y] = saved as [tf.Tensor];
        return {
          x: () =>
            tf
              .engine()
              .runKernel(COMPLEX_TANH_BACKWARD, { dy, y } as unknown as tf.NamedTensorMap) as tf.Tensor,
        };
      },
    },
  ],
});

let enabled = true;

/** Off: the tensor-op form on every backend (for A/B measurements and equivalence tests). @default on */
export const setComplexTanhKernelEnabled = (on: boolean): void => {
  enabled = on;
};

/**
 * True when the complex tanh of `x` can run as the kernel: the wasm backend is active with its
 * SIMD kernels, x is float32 and its last axis even.
 */
export const complexTanhKernelAvailable = (x: tf.Tensor): boolean =>
  enabled &&
  x.dtype === 'float32' &&
  x.rank >= 1 &&
  (x.shape[x.rank - 1] ?? 1) % 2 === 0 &&
  tf.getBackend() === 'wasm' &&
  wasmSimd(tf.backend()) !== null;

/**
 * tanh of the complex numbers in x's rows [.., 2w] (real parts, then imaginary parts), same layout
 * out; call only when {@link complexTanhKernelAvailable}.
 */
export const complexTanhKernel = <T extends tf.Tensor>(x: T): T => {
  registerComplexTanhKernels();
  return tf.engine().runKernel(COMPLEX_TANH, { x } as unknown as tf.NamedTensorMap) as T;
};
