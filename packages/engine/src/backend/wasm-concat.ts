/**
 * A wasm `Concat` that copies short rows element by element. The backend's kernel copies each
 * input's row of every leading index through a new subarray and `set`, about 400 ns a row whatever
 * its length: the transformers' token embedding concatenates the three taps of a [1024, 24, 1]
 * window on the last axis, 73,728 one-value rows, ~30 ms of CPU per call (two a step in
 * VanillaTransformer and Informer) against well under 1 ms copied here.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { WasmHeapBackend } from './wasm-heap.js';

/** Rows shorter than this are copied element by element: a subarray per row costs more than it saves. */
const SHORT_ROW = 16;

const size = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

/**
 * Interleaves `pieces` (row-major, `rows` rows of `widths[i]` values each) into `out`, row by row:
 * out row r is piece 0's row r, then piece 1's, and so on.
 */
export function interleaveRows(
  pieces: readonly (Float32Array | Int32Array)[],
  widths: readonly number[],
  rows: number,
  out: Float32Array | Int32Array,
): void {
  const total = widths.reduce((s, w) => s + w, 0);
  pieces.forEach((piece, i) => {
    const width = widths[i]!;
    let column = 0;
    for (let j = 0; j < i; j++) column += widths[j]!;
    if (width < SHORT_ROW) {
      for (let r = 0, k = 0, o = column; r < rows; r++, o += total)
        for (let c = 0; c < width; c++) out[o + c] = piece[k++]!;
    } else {
      for (let r = 0, o = column; r < rows; r++, o += total)
        out.set(piece.subarray(r * width, (r + 1) * width), o);
    }
  });
}

let enabled = true;

/** Off: every Concat through the backend's own kernel again (A/B runs, tests). @default on */
export const setRowwiseConcat = (on: boolean): void => {
  enabled = on;
};

/** Wraps wasm's Concat: float32/int32 inputs interleaved here; strings and other dtypes run the original. */
export const rowwiseConcat =
  (original: KernelConfig): KernelFunc =>
  (args) => {
    const inputs = args.inputs as unknown as TensorInfo[];
    const first = inputs[0];
    if (!enabled || !first || (first.dtype !== 'float32' && first.dtype !== 'int32'))
      return original.kernelFunc(args);
    const axis = tf.util.parseAxisParam((args.attrs as { axis: number }).axis, first.shape)[0]!;
    const nonEmpty = inputs.filter((t) => size(t.shape) > 0);
    if (nonEmpty.length < 2 || nonEmpty.some((t) => t.dtype !== first.dtype))
      return original.kernelFunc(args);
    tf.backend_util.assertParamsConsistent(
      inputs.map((t) => t.shape),
      axis,
    );
    const outShape = tf.backend_util.computeOutShape(
      inputs.map((t) => t.shape),
      axis,
    );
    const backend = args.backend as unknown as WasmHeapBackend;
    const out = backend.makeOutput(outShape, first.dtype); // before any view: growth detaches them
    const rows = size(first.shape.slice(0, axis));
    interleaveRows(
      nonEmpty.map((t) => backend.typedArrayFromHeap(t)),
      nonEmpty.map((t) => size(t.shape.slice(axis))),
      rows,
      backend.typedArrayFromHeap(out),
    );
    return out;
  };
