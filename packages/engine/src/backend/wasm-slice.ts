/**
 * A wasm `Slice` kernel that reads its input in place. The backend's own kernel first copies the
 * whole input out of the wasm heap (`readSync`) on every call, and copies a last-axis column one
 * element at a time through a new subarray each; NHITS slices on every block, forward and backward.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmHeapBackend } from './wasm-heap.js';

/** Rows shorter than this are copied element by element: a subarray per row costs more than it saves. */
const SHORT_ROW = 16;

/** Copies the box `begin`/`size` of `x` (row-major, `shape`) into `out`, innermost rows at a time. */
export const copyBox = (
  x: Float32Array | Int32Array,
  shape: readonly number[],
  out: Float32Array | Int32Array,
  box: { readonly begin: readonly number[]; readonly size: readonly number[] },
): void => {
  const rank = shape.length;
  const strides = tf.util.computeStrides([...shape]);
  const inner = box.size[rank - 1] ?? 1;
  const index = new Array<number>(Math.max(rank - 1, 0)).fill(0); // odometer over the outer dims
  const rows = out.length / inner;
  for (let row = 0, o = 0; row < rows; row++, o += inner) {
    let offset = box.begin[rank - 1] ?? 0;
    for (let d = 0; d < rank - 1; d++) offset += ((box.begin[d] ?? 0) + (index[d] ?? 0)) * (strides[d] ?? 0);
    if (inner < SHORT_ROW) for (let i = 0; i < inner; i++) out[o + i] = x[offset + i]!;
    else out.set(x.subarray(offset, offset + inner), o);
    for (let d = rank - 2; d >= 0; d--) {
      index[d] = (index[d] ?? 0) + 1;
      if ((index[d] ?? 0) < (box.size[d] ?? 0)) break;
      index[d] = 0;
    }
  }
};

/** Wraps wasm's Slice: float32/int32 slices read the heap in place; anything else runs the original. */
export const viewSlice =
  (original: KernelConfig): KernelFunc =>
  (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype !== 'float32' && x.dtype !== 'int32') return original.kernelFunc(args);
    const attrs = args.attrs as { begin: number | number[]; size?: number | number[] };
    const [begin, size] = tf.slice_util.parseSliceParams(x as unknown as tf.Tensor, attrs.begin, attrs.size);
    if (!begin || !size || size.some((d) => d === 0) || x.shape.length === 0)
      return original.kernelFunc(args);
    const backend = args.backend as unknown as WasmHeapBackend;
    // Allocate first: growing the heap detaches views taken before.
    const out = backend.makeOutput(size, x.dtype);
    copyBox(backend.typedArrayFromHeap(x), x.shape, backend.typedArrayFromHeap(out), { begin, size });
    return out;
  };
