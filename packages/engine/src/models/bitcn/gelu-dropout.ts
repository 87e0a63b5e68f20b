/**
 * BiTCN's `dropout(gelu(x))` (after every convolution and the temporal dense layer) as one op each
 * way on wasm: `NflabGeluMask` writes x·Φ(x)·m and keeps Φ(x); `NflabGeluMaskBackward` gives
 * dy·m·(Φ + x·φ(x)) from the kept Φ. The composition made two passes forward (GELU, the mask's
 * product) and two backward (the product's gradient, then GELU's, which recomputed Φ with its
 * exponential and division): on [1024, 24, 16] activations those passes, and GELU's three
 * exponentials per element, were most of a training step. Same mask (one seed drawn, at the same
 * point) and the same float operations in the same order, so the same bits as the composition.
 * Other backends, and inference or rate 0, run the composition.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { wasmSimd } from '../../backend/simd/wasm-simd.js';
import { heapOffsets, registerOnce } from '../../backend/wasm-kernel.js';
import { backendMemory } from '../../native/backend-memory.js';
import { gelu } from '../../nn/activations.js';
import { dropout } from '../../nn/dropout.js';
import { dropoutMask } from '../../nn/dropout-mask.js';
import type { ForwardContext } from '../../nn/forward-context.js';

export const GELU_MASK = 'NflabGeluMask';
export const GELU_MASK_BACKWARD = 'NflabGeluMaskBackward';

const size = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

const forward: KernelFunc = ({ inputs, backend }) => {
  const { x, m } = inputs as Record<string, TensorInfo>;
  const mem = backendMemory('wasm', backend);
  const outs = [mem.alloc([...x!.shape]), mem.alloc([...x!.shape])]; // out, Φ(x)
  const n = size(x!.shape);
  if (n === 0) return outs;
  const [px, pm, pout, pcdf] = heapOffsets(backend, [x!, m!, ...outs], GELU_MASK) as [
    number,
    number,
    number,
    number,
  ];
  wasmSimd(backend)?.kernels.geluMask(px, pm, pout, pcdf, n);
  return outs;
};

const backward: KernelFunc = ({ inputs, backend }) => {
  const { dy, m, x, cdf } = inputs as Record<string, TensorInfo>;
  const dx = backendMemory('wasm', backend).alloc([...x!.shape]);
  const n = size(x!.shape);
  if (n === 0) return dx;
  const [pdy, pm, px, pcdf, pdx] = heapOffsets(backend, [dy!, m!, x!, cdf!, dx], GELU_MASK_BACKWARD) as [
    number,
    number,
    number,
    number,
    number,
  ];
  wasmSimd(backend)?.kernels.geluMaskBackward(pdy, pm, px, pcdf, pdx, n);
  return dx;
};

/** Registers both kernels for wasm (idempotent). */
const registerGeluMaskKernels = registerOnce({
  kernels: { [GELU_MASK]: forward, [GELU_MASK_BACKWARD]: backward },
});

const runKernel = (name: string, inputs: Record<string, tf.Tensor>): tf.Tensor[] => {
  const out = tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap);
  return (Array.isArray(out) ? out : [out]) as tf.Tensor[];
};

/** `dropout(gelu(x), rate, ctx)`, as one op each way where the wasm SIMD kernels run. */
export function geluDropout<T extends tf.Tensor>(x: T, rate: number, ctx: ForwardContext): T {
  const fused =
    ctx.training &&
    rate > 0 &&
    rate < 1 &&
    x.dtype === 'float32' &&
    tf.getBackend() === 'wasm' &&
    wasmSimd(tf.backend()) !== null;
  if (!fused) return dropout(gelu(x), rate, ctx);
  registerGeluMaskKernels();
  return tf.tidy(() => {
    // The composition's one seed, drawn at the same point (GELU draws none).
    const mask = dropoutMask(x.shape, rate, ctx.nextSeed());
    const op = tf.customGrad((xIn, save) => {
      const [out, cdf] = runKernel(GELU_MASK, { x: xIn as tf.Tensor, m: mask });
      (save as tf.GradSaveFunc)([xIn as tf.Tensor, mask, cdf!]);
      return {
        value: out!,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [xS, mS, cdfS] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
          return runKernel(GELU_MASK_BACKWARD, { dy, m: mS, x: xS, cdf: cdfS })[0]!;
        },
      };
    });
    return op(x) as T;
  });
}
