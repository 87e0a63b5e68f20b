/**
 * `NflabBSplineBasis` and its gradient `NflabBSplineBasisGrad`: KAN's B-spline bases on a uniform
 * grid in one pass per element over the backend's memory. Only the order+1 bases around x's knot
 * interval are non-zero, so each element runs de Boor's triangle over that interval instead of
 * every basis: the tensor-op form (bspline.ts) built [knots, N·in] intermediates per order — for
 * KAN's second layer [12, 524288] — and sliced them, and its gradient padded every slice back to
 * full size; that was most of a KAN step. Values are the Cox–de Boor recursion's (float64 here,
 * rounded to float32); the gradient is the B-spline derivative (B_{i,k-1} − B_{i+1,k-1}) / step,
 * which is what differentiating the recursion gives. Registered for cpu and wasm; elsewhere the
 * tensor ops run.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { registerOnce } from '../../backend/wasm-kernel.js';
import { backendMemory, NATIVE_BACKENDS, type NativeBackendName } from '../../native/backend-memory.js';
import { bSplineBasis } from './bspline.js';

export const BSPLINE_BASIS = 'NflabBSplineBasis';
export const BSPLINE_BASIS_GRAD = 'NflabBSplineBasisGrad';

/** The kernels' attributes: the uniform knots (as float32 values) and the spline order. */
interface SplineAttrs {
  readonly knots: number[];
  readonly order: number;
}

/**
 * Writes into `local[r]` (r = 0..k) the degree-k bases B_{j-k+r, k}(v) for v in knot interval j;
 * bases that do not exist at degree k (index < 0 or > T-2-k) are 0.
 */
const localBases = (
  v: number,
  j: number,
  knots: Float64Array,
  h: number,
  k: number,
  local: Float64Array,
): void => {
  const last = knots.length - 2; // highest interval index
  local[0] = 1;
  for (let d = 1; d <= k; d++) {
    const inv = 1 / (d * h);
    // Right to left, in place: the new r reads the old r-1 (B_{i,d-1}) and the old r (B_{i+1,d-1}).
    for (let r = d; r >= 0; r--) {
      const i = j - d + r;
      if (i < 0 || i > last - d) {
        local[r] = 0;
      } else {
        const left = r >= 1 ? local[r - 1]! : 0;
        const right = r < d ? local[r]! : 0;
        local[r] = (v - knots[i]!) * inv * left + (knots[i + d + 1]! - v) * inv * right;
      }
    }
  }
};

/** The knot interval j with knots[j] ≤ v < knots[j+1], or -1 outside the grid (NaN included). */
const intervalOf = (v: number, knots: Float64Array, h: number): number => {
  const last = knots.length - 2;
  const first = knots[0]!;
  if (!(v >= first && v < knots[last + 1]!)) return -1;
  let j = Math.floor((v - first) / h);
  if (j < 0) j = 0;
  if (j > last) j = last;
  // The division can land one interval off; the float32 knots decide, as the op form's comparisons.
  while (j > 0 && v < knots[j]!) j--;
  while (j < last && v >= knots[j + 1]!) j++;
  return j;
};

/**
 * A uniform grid: the knots as the op form holds them (float32 values, which the comparisons and
 * differences read) and the spacing in float64 (the op form's 1/(k·step) factors).
 */
export interface SplineGrid {
  readonly knots: Float64Array;
  readonly step: number;
}

/** The grid of `knots` (uniformKnots' float64 values). */
export const splineGrid = (knots: readonly number[]): SplineGrid => ({
  knots: Float64Array.from(knots, Math.fround),
  step: (knots[1] as number) - (knots[0] as number),
});

/** bases [M, C] of x [M]: C = knots - 1 - order functions per element. */
export const fillBases = (x: Float32Array, out: Float32Array, grid: SplineGrid, order: number): void => {
  const { knots, step: h } = grid;
  const C = knots.length - 1 - order;
  const local = new Float64Array(order + 1);
  for (let m = 0; m < x.length; m++) {
    const v = x[m]!;
    const row = m * C;
    const j = intervalOf(v, knots, h);
    const empty = v !== v ? NaN : 0;
    for (let c = 0; c < C; c++) out[row + c] = empty;
    if (j < 0) continue;
    localBases(v, j, knots, h, order, local);
    for (let r = 0; r <= order; r++) {
      const c = j - order + r;
      if (c >= 0 && c < C) out[row + c] = local[r]!;
    }
  }
};

/** dx [M] = Σ_c dy[m, c] · dB_c/dx(x[m]), with dB_{c,K}/dx = (B_{c,K-1} − B_{c+1,K-1}) / step. */
export const fillBasesGrad = (
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  grid: SplineGrid,
  order: number,
): void => {
  const { knots, step: h } = grid;
  const C = knots.length - 1 - order;
  // local[r + 1] = B_{j-order+1+r, order-1}, with a zero on each side for the missing neighbours.
  const padded = new Float64Array(order + 2);
  const local = padded.subarray(1, order + 1);
  for (let m = 0; m < x.length; m++) {
    const v = x[m]!;
    const j = order === 0 ? -1 : intervalOf(v, knots, h);
    if (j < 0) {
      dx[m] = v !== v ? NaN : 0;
      continue;
    }
    localBases(v, j, knots, h, order - 1, local);
    // Basis c (from j - order to j) reads lower-degree bases c and c + 1: padded[c - j + order], + 1.
    let sum = 0;
    const lo = j - order < 0 ? 0 : j - order;
    const hi = j < C - 1 ? j : C - 1;
    for (let c = lo; c <= hi; c++) {
      const r = c - j + order;
      sum += dy[m * C + c]! * (padded[r]! - padded[r + 1]!);
    }
    dx[m] = sum / h;
  }
};

const forwardFor =
  (name: NativeBackendName): KernelFunc =>
  ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const { knots, order } = attrs as unknown as SplineAttrs;
    const mem = backendMemory(name, backend);
    // Allocate before taking views: growing the wasm heap detaches earlier views.
    const out = mem.alloc([...x.shape, knots.length - 1 - order]);
    const [vx, vo] = [mem.view(x), mem.view(out)];
    if (!vx || !vo) throw new Error(`${BSPLINE_BASIS}: x must be a float32 tensor`);
    fillBases(vx, vo, splineGrid(knots), order);
    return out;
  };

const backwardFor =
  (name: NativeBackendName): KernelFunc =>
  ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const dy = inputs.dy as TensorInfo;
    const { knots, order } = attrs as unknown as SplineAttrs;
    const mem = backendMemory(name, backend);
    const dx = mem.alloc([...x.shape]);
    const [vx, vdy, vdx] = [mem.view(x), mem.view(dy), mem.view(dx)];
    if (!vx || !vdy || !vdx) throw new Error(`${BSPLINE_BASIS_GRAD}: x and dy must be float32 tensors`);
    fillBasesGrad(vx, vdy, vdx, splineGrid(knots), order);
    return dx;
  };

/** Registers both kernels for cpu and wasm and the basis kernel's gradient (idempotent). */
export const registerBSplineKernels = registerOnce({
  backends: NATIVE_BACKENDS,
  kernels: (backendName) => ({
    [BSPLINE_BASIS]: forwardFor(backendName),
    [BSPLINE_BASIS_GRAD]: backwardFor(backendName),
  }),
  gradients: [
    {
      kernelName: BSPLINE_BASIS,
      inputsToSave: ['x'],
      gradFunc: (dy, saved, attrs) => {
        const [x] = saved as [tf.Tensor];
        return {
          x: () =>
            tf
              .engine()
              .runKernel(BSPLINE_BASIS_GRAD, { x, dy } as unknown as tf.NamedTensorMap, attrs) as tf.Tensor,
        };
      },
    },
  ],
});

/**
 * The B-spline bases of x [N, in] on uniform `knots`, [N, in, C]: the kernel where the active
 * backend has it (float32 x), bspline.ts's tensor ops elsewhere.
 */
export const splineBases = (x: tf.Tensor2D, knots: readonly number[], order: number): tf.Tensor3D => {
  registerBSplineKernels();
  if (x.dtype !== 'float32' || tf.getKernel(BSPLINE_BASIS, tf.getBackend()) === undefined) {
    return bSplineBasis(x, knots, order);
  }
  const attrs: SplineAttrs = { knots: [...knots], order };
  return tf
    .engine()
    .runKernel(
      BSPLINE_BASIS,
      { x } as unknown as tf.NamedTensorMap,
      attrs as unknown as tf.NamedAttrMap,
    ) as tf.Tensor3D;
};
