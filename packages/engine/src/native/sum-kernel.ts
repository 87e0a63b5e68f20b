import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { backendMemory } from './backend-memory.js';
import type { OverrideContext } from './kernels.js';
import type { Sgemv } from './openblas.js';

/** A float32 reduction over a leading or trailing block of axes, as one matrix-vector product. */
export interface SumPlan {
  /** Rows and columns of the input viewed as a matrix [rows, cols]. */
  readonly rows: number;
  readonly cols: number;
  /** true: sum over rows (leading axes) giving [cols]; false: over columns giving [rows]. */
  readonly overRows: boolean;
  readonly outShape: readonly number[];
}

/**
 * Plans `Sum(x, axis, keepDims)` when the reduced axes are a leading or trailing contiguous
 * block (bias gradients reduce [B, N] over axis 0, the batch); null for anything else.
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
  const leading = axes.every((a, i) => a === i);
  const trailing = axes.every((a, i) => a === rank - axes.length + i);
  if (!leading && !trailing) return null;
  const size = (dims: readonly number[]): number => dims.reduce((p, d) => p * d, 1);
  const split = leading ? axes.length : rank - axes.length;
  const rows = size(shape.slice(0, split));
  const cols = size(shape.slice(split));
  if (rows === 0 || cols === 0) return null;
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outShape = keepDims ? kept : shape.filter((_, i) => !axes.includes(i));
  return { rows, cols, overRows: leading, outShape };
}

let ones = new Float32Array(0);
/** A shared vector of ones at least `n` long (the x of y = Aᵀ·1). */
function onesOf(n: number): Float32Array {
  if (ones.length < n) ones = new Float32Array(Math.max(n, ones.length * 2)).fill(1);
  return ones.subarray(0, n);
}

/** A `Sum` kernel that reduces leading/trailing axes with sgemv; everything else falls back. */
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
    // [rows, cols]ᵀ · 1[rows] -> [cols]  or  [rows, cols] · 1[cols] -> [rows]
    sgemv({
      trans: plan.overRows,
      rows: plan.rows,
      cols: plan.cols,
      a: vx,
      x: onesOf(plan.overRows ? plan.rows : plan.cols),
      beta: 0,
      y: vy,
    });
    ctx.stats.native++;
    return out;
  };
  return { ...ctx.original, kernelFunc };
}

function fallbackSum(ctx: OverrideContext, args: Parameters<KernelFunc>[0]): TensorInfo | TensorInfo[] {
  ctx.stats.fallback++;
  return ctx.original.kernelFunc(args);
}
