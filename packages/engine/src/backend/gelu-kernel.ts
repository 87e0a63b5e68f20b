/**
 * `NflabGelu` and its backward `NflabGeluBackward`: exact-form GELU, x·Φ(x), in one SIMD pass over
 * the wasm backend's memory (kernels.wat: Φ from an erfc fit with fractional error under 1.2e-7,
 * e^x by range reduction and a polynomial). TensorFlow.js' wasm Erf and Exp cost about 12 and 5 ns
 * per element — forty to a hundred times a product — and GELU ran Erf forward and Exp backward
 * over BiTCN's [1024, 36, 16] activations several times a step. Results differ from the tensor-op
 * form by at most about 5e-7 absolute (both round Φ to float32; the left tail is more precise
 * here, where 1 + erf cancels). Registered for wasm only; cpu and other backends keep the ops.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { backendMemory } from '../native/backend-memory.js';
import { wasmSimd } from './simd/wasm-simd.js';
import { heapOffsets, registerOnce } from './wasm-kernel.js';

export const GELU = 'NflabGelu';
export const GELU_BACKWARD = 'NflabGeluBackward';
/**
 * GELU while gradients are recorded: outputs y and the slope Φ(x) + x·φ(x), saved for the backward
 * (dy·slope, one product). The backward kernel recomputes Φ and φ (two exponentials and a division
 * per element, ~10 ns against ~7 for the forward); TimeMixer runs GELU over ~440k values a step.
 */
export const GELU_TRAIN = 'NflabGeluTrain';

const size = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

const forward: KernelFunc = ({ inputs, backend }) => {
  const x = inputs.x as TensorInfo;
  const out = backendMemory('wasm', backend).alloc([...x.shape]);
  const n = size(x.shape);
  if (n === 0) return out;
  const [px, pout] = heapOffsets(backend, [x, out], GELU);
  wasmSimd(backend)?.kernels.gelu(px, pout, n);
  return out;
};

const backward: KernelFunc = ({ inputs, backend }) => {
  const dy = inputs.dy as TensorInfo;
  const x = inputs.x as TensorInfo;
  const dx = backendMemory('wasm', backend).alloc([...x.shape]);
  const n = size(x.shape);
  if (n === 0) return dx;
  const [pdy, px, pdx] = heapOffsets(backend, [dy, x, dx], GELU_BACKWARD);
  wasmSimd(backend)?.kernels.geluBackward(pdy, px, pdx, n);
  return dx;
};

const withSlope: KernelFunc = ({ inputs, backend }) => {
  const x = inputs.x as TensorInfo;
  const memory = backendMemory('wasm', backend);
  const [out, slope] = [memory.alloc([...x.shape]), memory.alloc([...x.shape])];
  const n = size(x.shape);
  if (n === 0) return [out, slope];
  const [px, pout, pslope] = heapOffsets(backend, [x, out, slope], GELU_TRAIN);
  wasmSimd(backend)?.kernels.geluWithSlope(px, pout, pslope, n);
  return [out, slope];
};

/** Registers the three kernels for wasm and the gradients of GELU and GELU_TRAIN (idempotent). */
export const registerGeluKernels = registerOnce({
  kernels: { [GELU]: forward, [GELU_BACKWARD]: backward, [GELU_TRAIN]: withSlope },
  gradients: [
    {
      kernelName: GELU,
      inputsToSave: ['x'],
      gradFunc: (dy, saved) => {
        const [x] = saved as [tf.Tensor];
        return {
          x: () =>
            tf.engine().runKernel(GELU_BACKWARD, { dy, x } as unknown as tf.NamedTensorMap) as tf.Tensor,
        };
      },
    },
    {
      kernelName: GELU_TRAIN,
      outputsToSave: [false, true],
      gradFunc: (dys, saved) => {
        const [dy] = dys as tf.Tensor[]; // the slope output never gets a gradient
        const [slope] = saved as [tf.Tensor];
        return { x: () => tf.mul(dy as tf.Tensor, slope) };
      },
    },
  ],
});

let slopeKernel = true;

/** Whether training runs {@link GELU_TRAIN} (default) or GELU and its recomputing backward (A/B runs, tests). */
export const setGeluSlopeKernel = (on: boolean): void => {
  slopeKernel = on;
};

/**
 * True when GELU of `x` can run as the kernel: the wasm backend is active, its SIMD kernels
 * loaded, and x is float32.
 */
export const geluKernelAvailable = (x: tf.Tensor): boolean =>
  x.dtype === 'float32' && tf.getBackend() === 'wasm' && wasmSimd(tf.backend()) !== null;

/** x·Φ(x) through the kernel; call only when {@link geluKernelAvailable}. */
export const geluKernel = <T extends tf.Tensor>(x: T): T => {
  registerGeluKernels();
  const engine = tf.engine();
  if (!slopeKernel || !engine.isTapeOn())
    return engine.runKernel(GELU, { x } as unknown as tf.NamedTensorMap) as T;
  const [y, slope] = engine.runKernel(GELU_TRAIN, { x } as unknown as tf.NamedTensorMap) as [T, tf.Tensor];
  slope.dispose(); // the tape keeps its own handle on the storage
  return y;
};
