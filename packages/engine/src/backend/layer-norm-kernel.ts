/**
 * `NflabLayerNorm` and `NflabLayerNormBackward`: layer normalisation over the last axis as one op
 * each way on wasm (kernels.wat's layerNorm section). The tf-op composition (moments, subtract,
 * add eps, sqrt, divide, gain, shift) ran about ten kernels forward and twenty backward, each a pass
 * over VanillaTransformer's [1024, 24, 128] activations, nine norms a step. Forward keeps each
 * row's mean and 1/√(var + eps) for the backward; the gain and shift gradients are summed over
 * rows in float64. Same eps and biased variance as the composition; results agree to float32
 * rounding (~1e-6 relative), not bit for bit. Registered for wasm only.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { backendMemory } from '../native/backend-memory.js';
import { wasmSimd } from './simd/wasm-simd.js';
import { heapOffsets, registerOnce } from './wasm-kernel.js';

export const LAYER_NORM = 'NflabLayerNorm';
export const LAYER_NORM_BACKWARD = 'NflabLayerNormBackward';

interface LayerNormAttrs {
  readonly eps: number;
}

/** [rows, cols] of a tensor normalised over its last axis. */
const rowsCols = (shape: readonly number[]): [number, number] => {
  const cols = shape[shape.length - 1] ?? 1;
  return [shape.reduce((p, d) => p * d, 1) / Math.max(cols, 1), cols];
};

const forward: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, gain, shift } = inputs as Record<string, TensorInfo>;
  const [rows, cols] = rowsCols(x!.shape);
  // The kernel reads cols values of each: a mismatch would read past them, not broadcast.
  if (gain!.shape.join() !== `${cols}` || shift!.shape.join() !== `${cols}`)
    throw new Error(
      `${LAYER_NORM}: gain and shift must be [${cols}], got [${gain!.shape}] and [${shift!.shape}]`,
    );
  const mem = backendMemory('wasm', backend);
  const outs = [mem.alloc([...x!.shape]), mem.alloc([rows, 2])]; // y, per-row (mean, rstd)
  if (rows * cols === 0) return outs;
  const [px, pg, pb, pout, pstats] = heapOffsets(backend, [x!, gain!, shift!, ...outs], LAYER_NORM) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const { eps } = attrs as unknown as LayerNormAttrs;
  wasmSimd(backend)?.kernels.layerNorm(
    { x: px, gain: pg, shift: pb, out: pout, stats: pstats },
    rows,
    cols,
    eps,
  );
  return outs;
};

const backward: KernelFunc = ({ inputs, backend }) => {
  const { dy, x, gain, stats } = inputs as Record<string, TensorInfo>;
  const [rows, cols] = rowsCols(x!.shape);
  const mem = backendMemory('wasm', backend);
  // dx, dgain, dshift, and the float64 accumulators (2·cols doubles = 4·cols floats).
  const outs = [mem.alloc([...x!.shape]), mem.alloc([cols]), mem.alloc([cols]), mem.alloc([4 * cols])];
  if (cols === 0) return outs;
  const [pdy, px, pg, ps, pdx, pdg, pdb, pacc] = heapOffsets(
    backend,
    [dy!, x!, gain!, stats!, ...outs],
    LAYER_NORM_BACKWARD,
  ) as [number, number, number, number, number, number, number, number];
  wasmSimd(backend)?.kernels.layerNormBackward(
    { dy: pdy, x: px, gain: pg, stats: ps, dx: pdx, acc: pacc, dGain: pdg, dShift: pdb },
    rows,
    cols,
  );
  return outs;
};

/** Registers both kernels for wasm and the forward kernel's gradient (idempotent). */
const registerLayerNormKernels = registerOnce({
  kernels: { [LAYER_NORM]: forward, [LAYER_NORM_BACKWARD]: backward },
  gradients: [
    {
      kernelName: LAYER_NORM,
      inputsToSave: ['x', 'gain'],
      outputsToSave: [false, true],
      gradFunc: (dys, saved) => {
        // dys: [dy of the output, dy of the stats (unused: they are no function's input)].
        const dy = (Array.isArray(dys) ? dys[0] : dys) as tf.Tensor;
        const [x, gain, stats] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        // One backward kernel gives all three (the tape runs each closure in its own tidy, so they
        // are made here, in the backward's scope, which frees the ones not asked for).
        const [dx, dGain, dShift] = runKernel(LAYER_NORM_BACKWARD, { dy, x, gain, stats });
        return { x: () => dx!, gain: () => dGain!, shift: () => dShift! };
      },
    },
  ],
});

const runKernel = (name: string, inputs: Record<string, tf.Tensor>, attrs: object = {}): tf.Tensor[] => {
  const out = tf
    .engine()
    .runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap);
  return (Array.isArray(out) ? out : [out]) as tf.Tensor[];
};

let enabled = true;

/** Off: the tf-op composition on every backend (for A/B measurements and equivalence tests). @default on */
export const setLayerNormKernelEnabled = (on: boolean): void => {
  enabled = on;
};

/**
 * True when a layer norm of `x` over its last axis with a [D] gain can run as the kernel: the wasm
 * backend is active with its SIMD kernels, and x is float32.
 */
export const layerNormKernelAvailable = (x: tf.Tensor): boolean =>
  enabled &&
  x.dtype === 'float32' &&
  x.rank >= 1 &&
  tf.getBackend() === 'wasm' &&
  wasmSimd(tf.backend()) !== null;

/**
 * (x - mean)/√(var + eps)·gain + shift over x's last axis (gain, shift [D]); call only when
 * {@link layerNormKernelAvailable}.
 */
export function layerNormKernel<T extends tf.Tensor>(
  x: T,
  gain: tf.Tensor,
  shift: tf.Tensor,
  eps: number,
): T {
  registerLayerNormKernels();
  const attrs: LayerNormAttrs = { eps };
  const [y, stats] = runKernel(LAYER_NORM, { x, gain, shift }, attrs);
  stats!.dispose(); // the tape keeps its own copy for the gradient
  return y as T;
}
