/**
 * The plumbing every custom kernel of the lab shares: the wasm heap offsets of a kernel's tensors,
 * and registering a set of kernels (and their gradients) once per process. Each kernel's own math
 * stays in its file; a new kernel writes its KernelFuncs, passes their tensors to
 * {@link heapOffsets}, and exports `registerOnce({ kernels, gradients })`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { wasmSimd } from './simd/wasm-simd.js';

/** A number for each tensor of a tuple, keeping the tuple's length. */
export type Offsets<T extends readonly TensorInfo[]> = { -readonly [K in keyof T]: number };

/**
 * Byte offsets of `tensors` in the wasm heap, for the SIMD kernels (which take byte offsets as
 * they are). Call after every output is allocated: allocation may move the heap. Throws, naming
 * `kernel`, when one has no float32 storage there. The heap grows past 2 GiB, so an offset may be
 * 2^31 or more: to index a Float32Array over the heap use `offset >>> 2`, never `offset >> 2`
 * (which turns it negative; see models/recurrent/simd-loops.ts).
 */
export function heapOffsets<const T extends readonly TensorInfo[]>(
  backend: unknown,
  tensors: T,
  kernel: string,
): Offsets<T> {
  const simd = wasmSimd(backend);
  return tensors.map((t) => {
    const offset = simd?.offset(t) ?? null;
    if (offset === null) throw new Error(`${kernel}: inputs must be float32 wasm tensors`);
    return offset;
  }) as Offsets<T>;
}

/** What {@link registerOnce} registers. */
export interface KernelSet<B extends string> {
  /** The backends the kernels run on. @default ['wasm'] */
  readonly backends?: readonly B[];
  /** Kernel name -> function, the same for every backend or made per backend. */
  readonly kernels: Readonly<Record<string, KernelFunc>> | ((backendName: B) => Record<string, KernelFunc>);
  /** Gradients of some of the kernels (backend-independent). @default [] */
  readonly gradients?: readonly GradConfig[];
}

/**
 * A function registering `set` with TensorFlow.js on its first call and doing nothing after
 * (registering again would overwrite with a warning). Registration does not load the backends.
 */
export function registerOnce<B extends string = 'wasm'>(set: KernelSet<B>): () => void {
  let registered = false;
  return () => {
    if (registered) return;
    for (const backendName of set.backends ?? ['wasm' as B]) {
      const kernels = typeof set.kernels === 'function' ? set.kernels(backendName) : set.kernels;
      for (const [kernelName, kernelFunc] of Object.entries(kernels))
        tf.registerKernel({ kernelName, backendName, kernelFunc });
    }
    for (const gradient of set.gradients ?? []) tf.registerGradient(gradient);
    registered = true;
  };
}
