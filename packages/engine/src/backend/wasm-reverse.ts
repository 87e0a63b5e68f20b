/**
 * A wasm `Reverse` kernel that reverses the last axis in place in the heap. The backend's own kernel
 * computes every element's source index through a per-element coordinate conversion: about 3.5 ms
 * for NHITS' [1024, 56] input window (reversed twice per step, newest value first), against
 * ~0.05 ms for row copies. Other axes and dtypes run the original kernel.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmHeapBackend } from './wasm-heap.js';

/** Writes each length-`cols` row of `x` reversed into `out`. */
export const reverseRows = (
  x: Float32Array | Int32Array,
  out: Float32Array | Int32Array,
  cols: number,
): void => {
  for (let start = 0; start < x.length; start += cols) {
    for (let i = 0, j = start + cols - 1; i < cols; i++, j--) out[start + i] = x[j]!;
  }
};

/** Wraps wasm's Reverse: a reversal of the last axis alone reads the heap in place. */
export const lastAxisReverse =
  (original: KernelConfig): KernelFunc =>
  (args) => {
    const x = args.inputs.x as TensorInfo;
    const rank = x.shape.length;
    const raw = (args.attrs as { dims: number | number[] }).dims;
    const dims = (typeof raw === 'number' ? [raw] : raw).map((d) => (d < 0 ? d + rank : d));
    const lastOnly = rank > 0 && dims.length > 0 && dims.every((d) => d === rank - 1);
    const size = x.shape.reduce((p, d) => p * d, 1);
    if (!lastOnly || size === 0 || (x.dtype !== 'float32' && x.dtype !== 'int32'))
      return original.kernelFunc(args);
    const backend = args.backend as unknown as WasmHeapBackend;
    // Allocate first: growing the heap detaches views taken before.
    const out = backend.makeOutput([...x.shape], x.dtype);
    reverseRows(backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(out), x.shape[rank - 1]!);
    return out;
  };
