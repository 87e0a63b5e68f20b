/**
 * `NflabDropoutMask`: the mask of one dropout call, 1/(1-rate) where a uniform draw u in [0, 1) is
 * ≥ rate and 0 elsewhere, written straight into the new tensor's backend memory. u is one 32-bit
 * draw of the lab's seeded generator per element (u = draw / 2^32), compared as it is drawn, so the
 * same seed gives the same mask on every backend and machine.
 * TensorFlow.js' randomUniform drew each value through seedrandom's alea into a fresh buffer and
 * then needed four more ops (compare, cast, two products) for BiTCN's ~393K values per call.
 * Registered for cpu and wasm; on wasm the SIMD module's loop writes the mask into the heap (the same
 * draws, about half the cost per element); other backends build the same values in JavaScript.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { Rng } from '@nflab/contracts';
import { wasmSimd } from '../backend/simd/wasm-simd.js';
import { registerOnce } from '../backend/wasm-kernel.js';
import { backendMemory, NATIVE_BACKENDS, type NativeBackendName } from '../native/backend-memory.js';

export const DROPOUT_MASK = 'NflabDropoutMask';

const TWO_32 = 2 ** 32;

/** The kernel's attributes. */
interface MaskAttrs {
  readonly shape: number[];
  readonly rate: number;
  readonly seed: number;
}

/** Writes the mask of `seed` into `out` (`rate` in [0, 1)). */
export function fillDropoutMask(out: Float32Array, rate: number, seed: number): void {
  // u ≥ rate ⇔ draw ≥ rate·2^32; each draw compared as it is made (no scratch buffer pass).
  new Rng(seed).fillThresholded(out, rate * TWO_32, 1 / (1 - rate));
}

let wasmMask = true;

/** Off: wasm masks drawn in JavaScript as on cpu (A/B runs, tests); the values are the same. @default on */
export const setWasmDropoutMask = (on: boolean): void => {
  wasmMask = on;
};

/**
 * Writes the mask into a wasm tensor by the SIMD module's loop and returns true, or returns false
 * (having done nothing) where that module is unavailable or the threshold does not fit 32 bits.
 */
const fillInWasm = (backend: unknown, out: TensorInfo, size: number, rate: number, seed: number): boolean => {
  const simd = wasmMask ? wasmSimd(backend) : null;
  const offset = simd?.offset(out) ?? null;
  // draw ≥ rate·2^32 ⇔ draw ≥ ⌈rate·2^32⌉ for integer draws; past 2^32 − 1 no draw passes.
  const threshold = Math.ceil(rate * TWO_32);
  if (simd === null || offset === null || threshold > TWO_32 - 1) return false;
  simd.kernels.dropoutMask(offset, size, new Rng(seed).stateWords(), threshold, 1 / (1 - rate));
  return true;
};

const kernelFor =
  (name: NativeBackendName): KernelFunc =>
  ({ backend, attrs }) => {
    const { shape, rate, seed } = attrs as unknown as MaskAttrs;
    const mem = backendMemory(name, backend);
    const out = mem.alloc([...shape]);
    const size = shape.reduce((p, d) => p * d, 1);
    if (name === 'wasm' && size > 0 && fillInWasm(backend, out, size, rate, seed)) return out;
    const view = mem.view(out);
    if (view === null) throw new Error(`${DROPOUT_MASK}: the backend gave no float32 storage`);
    fillDropoutMask(view, rate, seed);
    return out;
  };

/** Registers the kernel for cpu and wasm (idempotent; registration does not load the backends). */
export const registerDropoutMaskKernels = registerOnce({
  backends: NATIVE_BACKENDS,
  kernels: (backendName) => ({ [DROPOUT_MASK]: kernelFor(backendName) }),
});

/** The mask of one dropout call of probability `rate` (in [0, 1)) drawn from `seed`, as a tensor. */
export function dropoutMask(shape: readonly number[], rate: number, seed: number): tf.Tensor {
  registerDropoutMaskKernels();
  if (tf.getKernel(DROPOUT_MASK, tf.getBackend()) === undefined) {
    const values = new Float32Array(shape.reduce((p, d) => p * d, 1));
    fillDropoutMask(values, rate, seed);
    return tf.tensor(values, [...shape], 'float32');
  }
  const attrs: MaskAttrs = { shape: [...shape], rate, seed };
  return tf.engine().runKernel(DROPOUT_MASK, {}, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}
