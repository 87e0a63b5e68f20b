/**
 * A wasm `Transpose` that reduces the permutation to its fewest axes first. The backend's kernel
 * drops size-1 axes only, has fast paths up to rank 4 and a generic loop above, which computes
 * every element's coordinates anew: FEDformer's rank-5 head/mode rearrangements of
 * [1024, 2, 12, 8, 16] took 190–290 ms of CPU each (60–90 ns per element; 24 per training step)
 * against 5–15 ms reduced or copied here. Axes that stay adjacent and in order ([B, 2, M, H, E] -> [H, M, B, 2, E] keeps
 * B, 2 together) are one axis of the product of their sizes, which brings most permutations down
 * to rank 4 or less for the backend's own kernel; what stays above rank 4 is copied here, row by
 * output row, with the input offset advanced by strides instead of recomputed.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmHeapBackend } from './wasm-heap.js';

/** The backend's kernel is fast up to this rank. */
const FAST_RANK = 4;

/** A permutation over fewer axes with the same effect: input shape and perm. */
export interface ReducedTranspose {
  readonly shape: number[];
  readonly perm: number[];
}

/**
 * Drops size-1 axes and merges input axes that the permutation keeps adjacent and in order
 * (output axes j, j+1 reading input axes p, p+1): the same data movement over fewer axes.
 */
export function reduceTranspose(shape: readonly number[], perm: readonly number[]): ReducedTranspose {
  // Renumber the axes of size > 1 among themselves.
  const renumbered = new Map<number, number>();
  shape.forEach((size, axis) => size !== 1 && renumbered.set(axis, renumbered.size));
  const kept = perm.flatMap((p) => (renumbered.has(p) ? [renumbered.get(p)!] : [])); // output order
  const sizes = shape.filter((size) => size !== 1);
  // Runs of consecutive input axes in output order become one axis each.
  const runs: number[][] = [];
  for (const p of kept) {
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1] === p - 1) last.push(p);
    else runs.push([p]);
  }
  const byInput = [...runs].sort((a, b) => a[0]! - b[0]!); // the runs in input order
  return {
    shape: byInput.map((run) => run.reduce((size, p) => size * sizes[p]!, 1)),
    perm: runs.map((run) => byInput.indexOf(run)),
  };
}

/**
 * Copies `x` (row-major `shape`) into `out` permuted by `perm`: out axis j is x axis perm[j]. The
 * innermost output axis is a strided run of the input; an odometer over the outer axes moves the
 * input offset by precomputed steps.
 */
export function transposeInto(
  x: Float32Array | Int32Array,
  shape: readonly number[],
  perm: readonly number[],
  out: Float32Array | Int32Array,
): void {
  const rank = shape.length;
  const inStrides = new Array<number>(rank);
  for (let d = rank - 1, s = 1; d >= 0; d--) {
    inStrides[d] = s;
    s *= shape[d]!;
  }
  const outShape = perm.map((p) => shape[p]!);
  const step = perm.map((p) => inStrides[p]!); // input stride of each output axis
  const inner = outShape[rank - 1]!;
  const innerStep = step[rank - 1]!;
  const index = new Array<number>(rank - 1).fill(0);
  const rows = out.length / inner;
  let offset = 0;
  for (let row = 0, o = 0; row < rows; row++) {
    for (let i = 0, k = offset; i < inner; i++, k += innerStep) out[o++] = x[k]!;
    for (let d = rank - 2; d >= 0; d--) {
      offset += step[d]!;
      if (++index[d]! < outShape[d]!) break;
      offset -= step[d]! * outShape[d]!;
      index[d] = 0;
    }
  }
}

/** Wraps wasm's Transpose: the reduced permutation to the original up to rank 4, copied here above. */
export const reducedTranspose =
  (original: KernelConfig): KernelFunc =>
  (args) => {
    const x = args.inputs.x as TensorInfo;
    const perm = (args.attrs as { perm: number[] }).perm;
    const outShape = perm.map((p) => x.shape[p]!);
    const reduced = reduceTranspose(x.shape, perm);
    const rank = reduced.perm.length;
    const size = outShape.reduce((p, d) => p * d, 1);
    if (rank > FAST_RANK && (x.dtype === 'float32' || x.dtype === 'int32') && size > 0) {
      const backend = args.backend as unknown as WasmHeapBackend;
      const out = backend.makeOutput(outShape, x.dtype); // allocate before taking views
      transposeInto(
        backend.typedArrayFromHeap(x),
        reduced.shape,
        reduced.perm,
        backend.typedArrayFromHeap(out),
      );
      return out;
    }
    if (rank === perm.length) return original.kernelFunc(args);
    const result = original.kernelFunc({
      ...args,
      inputs: { x: { dataId: x.dataId, shape: reduced.shape, dtype: x.dtype } },
      attrs: { ...args.attrs, perm: reduced.perm },
    }) as TensorInfo;
    return { ...result, shape: outShape };
  };
