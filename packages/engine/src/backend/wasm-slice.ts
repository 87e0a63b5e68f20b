/**
 * wasm `Slice`, `SplitV` and `Unpack` kernels that read their input in place. The backend's own
 * Slice first copies the whole input out of the wasm heap (`readSync`) on every call, and copies a
 * last-axis column one element at a time through a new subarray each; NHITS slices on every block,
 * forward and backward. Its SplitV and Unpack call that Slice once per piece, so each copies the
 * whole input k times: a recurrent step's gate split of [1024, 512] took ~40 ms, and unstacking a
 * [1024, 25, 512] window into steps copied it 25 times (the step-by-step recurrent path).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmHeapBackend } from './wasm-heap.js';

/** Rows shorter than this are copied element by element: a subarray per row costs more than it saves. */
const SHORT_ROW = 16;

/** A box of a row-major array: its first index and extent on every axis. */
interface Box {
  readonly begin: readonly number[];
  readonly size: readonly number[];
}

/**
 * The same box over fewer axes: trailing axes the box spans whole are merged into the one before,
 * so each innermost row is one contiguous run. Splitting [2304, 32] on axis 0 was 768 row copies
 * (a subarray each) per piece; merged, it is one copy.
 */
const mergeWholeAxes = (shape: readonly number[], box: Box): { shape: number[]; box: Box } => {
  let last = shape.length - 1;
  while (last > 0 && box.size[last] === shape[last]) last--;
  const tail = shape.slice(last + 1).reduce((p, d) => p * d, 1);
  return {
    shape: [...shape.slice(0, last), (shape[last] ?? 1) * tail],
    box: {
      begin: [...box.begin.slice(0, last), (box.begin[last] ?? 0) * tail],
      size: [...box.size.slice(0, last), (box.size[last] ?? 1) * tail],
    },
  };
};

/** Copies the box `begin`/`size` of `x` (row-major, `shape`) into `out`, one contiguous run at a time. */
export const copyBox = (
  x: Float32Array | Int32Array,
  fullShape: readonly number[],
  out: Float32Array | Int32Array,
  fullBox: Box,
): void => {
  const { shape, box } = mergeWholeAxes(fullShape, fullBox);
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

/** Copies each box of `x` into a new output, all allocated before any view is taken. */
const copyBoxes = (
  backend: WasmHeapBackend,
  x: TensorInfo,
  pieces: readonly {
    readonly begin: readonly number[];
    readonly size: readonly number[];
    readonly shape: number[];
  }[],
): TensorInfo[] => {
  const outs = pieces.map((piece) => backend.makeOutput(piece.shape, x.dtype)); // may grow the heap
  const xs = backend.typedArrayFromHeap(x);
  outs.forEach((out, i) => copyBox(xs, x.shape, backend.typedArrayFromHeap(out), pieces[i]!));
  return outs;
};

const inPlace = (x: TensorInfo): boolean =>
  (x.dtype === 'float32' || x.dtype === 'int32') && x.shape.length > 0 && x.shape.every((d) => d > 0);

/** Wraps wasm's SplitV: every piece copied from the heap in place; anything else runs the original. */
export const viewSplitV =
  (original: KernelConfig): KernelFunc =>
  (args) => {
    const x = args.inputs.x as TensorInfo;
    if (!inPlace(x)) return original.kernelFunc(args);
    const attrs = args.attrs as { numOrSizeSplits: number | number[]; axis: number | number[] };
    const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0]!;
    const sizes = tf.backend_util.prepareSplitSize(x as unknown as tf.Tensor, attrs.numOrSizeSplits, axis);
    if (sizes.some((s) => s <= 0)) return original.kernelFunc(args);
    let start = 0;
    const pieces = sizes.map((s) => {
      const begin = x.shape.map((_, d) => (d === axis ? start : 0));
      const shape = x.shape.map((n, d) => (d === axis ? s : n));
      start += s;
      return { begin, size: shape, shape };
    });
    return copyBoxes(args.backend as unknown as WasmHeapBackend, x, pieces);
  };

/** Wraps wasm's Unpack (unstack): every slice copied from the heap in place; anything else runs the original. */
export const viewUnpack =
  (original: KernelConfig): KernelFunc =>
  (args) => {
    const x = args.inputs.value as TensorInfo;
    if (!inPlace(x)) return original.kernelFunc(args);
    const rank = x.shape.length;
    const attrs = args.attrs as { axis: number };
    const axis = attrs.axis < 0 ? attrs.axis + rank : attrs.axis;
    const size = x.shape.map((n, d) => (d === axis ? 1 : n));
    const shape = x.shape.filter((_, d) => d !== axis); // the unstacked axis dropped
    const pieces = Array.from({ length: x.shape[axis]! }, (_, i) => ({
      begin: x.shape.map((_, d) => (d === axis ? i : 0)),
      size,
      shape,
    }));
    return copyBoxes(args.backend as unknown as WasmHeapBackend, x, pieces);
  };
