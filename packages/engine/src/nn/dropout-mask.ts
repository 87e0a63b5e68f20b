/**
 * `NflabDropoutMask`: the mask of one dropout call, 1/(1-rate) where a uniform draw u in [0, 1) is
 * ≥ rate and 0 elsewhere, written straight into the new tensor's backend memory. u is one 32-bit
 * draw of the lab's seeded generator per element (u = draw / 2^32), compared as it is drawn, so the
 * same seed gives the same mask on every backend and machine.
 * TensorFlow.js' randomUniform drew each value through seedrandom's alea into a fresh buffer and
 * then needed four more ops (compare, cast, two products) for BiTCN's ~393K values per call.
 * Registered for cpu and wasm; other backends build the same values in JavaScript.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc } from '@tensorflow/tfjs-core';
import { Rng } from '@nflab/contracts';
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

const kernelFor =
  (name: NativeBackendName): KernelFunc =>
  ({ backend, attrs }) => {
    const { shape, rate, seed } = attrs as unknown as MaskAttrs;
    const mem = backendMemory(name, backend);
    const out = mem.alloc([...shape]);
    const view = mem.view(out);
    if (view === null) throw new Error(`${DROPOUT_MASK}: the backend gave no float32 storage`);
    fillDropoutMask(view, rate, seed);
    return out;
  };

let registered = false;

/** Registers the kernel for cpu and wasm (idempotent; registration does not load the backends). */
export const registerDropoutMaskKernels = (): void => {
  if (registered) return;
  for (const backendName of NATIVE_BACKENDS) {
    tf.registerKernel({ kernelName: DROPOUT_MASK, backendName, kernelFunc: kernelFor(backendName) });
  }
  registered = true;
};

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
