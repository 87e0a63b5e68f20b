import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { backendMemory } from './backend-memory.js';
import type { OverrideContext } from './kernels.js';
import type { Sgemv } from './openblas.js';

/**
 * A float32 reduction over one contiguous block of axes, as matrix-vector products: the input
 * viewed as [outer, rows, cols] (outer 1 unless the block sits between kept axes).
 */
export interface SumPlan {
  /** Matrices one after another: the product of the kept axes before a middle block, else 1. */
  readonly outer: number;
  /** Rows and columns of each matrix [rows, cols]. */
  readonly rows: number;
  readonly cols: number;
  /** true: sum over rows (leading axes) giving [cols]; false: over columns giving [rows]. */
  readonly overRows: boolean;
  readonly outShape: readonly number[];
}

/**
 * Plans `Sum(x, axis, keepDims)` when the reduced axes are one contiguous block (bias gradients
 * reduce [B, N] over axis 0, the batch; stacked weights' [n, 1, d] biases reduce [n, B, d] over
 * axis 1); null for anything else. Axes of size 1 are left out first: they change neither the
 * memory layout nor the sums, and keeping them turned the window scalers' [B, L, 1] over axis 1
 * into B matrices of one column — B sgemv calls where one does.
 */
export function planSum(
  shape: readonly number[],
  axis: number | readonly number[],
  keepDims: boolean,
): SumPlan | null {
  const rank = shape.length;
  const axes = [
    ...new Set((typeof axis === 'number' ? [axis] : axis).map((a) => (a < 0 ? a + rank : a))),
  ].sort((a, b) => a - b);
  if (rank === 0 || axes.length === 0 || axes.length === rank || axes.some((a) => a < 0 || a >= rank))
    return null;
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outShape = keepDims ? kept : shape.filter((_, i) => !axes.includes(i));
  // The shape without its size-1 axes, each remaining axis marked reduced or kept.
  const dims = shape.flatMap((d, i) => (d === 1 ? [] : [{ size: d, reduced: axes.includes(i) }]));
  const block = dims.flatMap((d, i) => (d.reduced ? [i] : []));
  // Nothing left to reduce, or nothing left to keep: a copy or a full sum, left to the reference.
  if (block.length === 0 || block.length === dims.length) return null;
  const first = block[0]!;
  const last = block[block.length - 1]!;
  if (last - first + 1 !== block.length) return null;
  const size = (part: readonly { size: number }[]): number => part.reduce((p, d) => p * d.size, 1);
  // A trailing block sums each row of [rows, cols]; any other sums the rows of [outer][rows, cols].
  const trailing = last === dims.length - 1;
  const outer = trailing ? 1 : size(dims.slice(0, first));
  const rows = trailing ? size(dims.slice(0, first)) : size(dims.slice(first, last + 1));
  const cols = trailing ? size(dims.slice(first)) : size(dims.slice(last + 1));
  if (outer === 0 || rows === 0 || cols === 0) return null;
  return { outer, rows, cols, overRows: !trailing, outShape };
}

let ones = new Float32Array(0);
/** A shared vector of ones at least `n` long (the x of y = Aᵀ·1). */
function onesOf(n: number): Float32Array {
  if (ones.length < n) ones = new Float32Array(Math.max(n, ones.length * 2)).fill(1);
  return ones.subarray(0, n);
}

/** A `Sum` kernel that reduces a contiguous block of axes with sgemv; everything else falls back. */
export function nativeSum(ctx: OverrideContext, sgemv: Sgemv): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs.x;
    const attrs = args.attrs ?? {};
    // tf.sum(x) without an axis arrives as axis = null: a full reduction, left to the reference.
    const axis = attrs.axis as number | number[] | null | undefined;
    const plan =
      x && x.dtype === 'float32' && axis != null ? planSum(x.shape, axis, attrs.keepDims === true) : null;
    if (!x || plan === null) return fallbackSum(ctx, args);
    const mem = backendMemory(ctx.backendName, args.backend);
    const out: TensorInfo = mem.alloc([...plan.outShape]);
    const [vx, vy] = [mem.view(x), mem.view(out)];
    if (!vx || !vy) {
      (args.backend as { disposeData(id: object): void }).disposeData(out.dataId);
      return fallbackSum(ctx, args);
    }
    // Per matrix: [rows, cols]ᵀ · 1[rows] -> [cols]  or  [rows, cols] · 1[cols] -> [rows]
    const { outer, rows, cols, overRows } = plan;
    const x1 = onesOf(overRows ? rows : cols);
    const outSize = overRows ? cols : rows;
    for (let o = 0; o < outer; o++) {
      const a = outer === 1 ? vx : vx.subarray(o * rows * cols, (o + 1) * rows * cols);
      const y = outer === 1 ? vy : vy.subarray(o * outSize, (o + 1) * outSize);
      sgemv({ trans: overRows, rows, cols, a, x: x1, beta: 0, y });
    }
    ctx.stats.native++;
    return out;
  };
  return { ...ctx.original, kernelFunc };
}

function fallbackSum(ctx: OverrideContext, args: Parameters<KernelFunc>[0]): TensorInfo | TensorInfo[] {
  ctx.stats.fallback++;
  return ctx.original.kernelFunc(args);
}
