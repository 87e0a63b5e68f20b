/**
 * The fused recurrent loops of fused-loops.ts with each step's gate pass in a SIMD WebAssembly
 * kernel (kernels.wat, "Recurrent layers") instead of JavaScript: on the wasm backend, where every
 * tensor and scratch buffer lives in the module's memory, a step's gates for the whole batch are one
 * kernel call. The JavaScript pass spent most of a step in Math.exp (five transcendentals per hidden
 * unit for an LSTM, in float64); the kernel computes them four lanes at a time in float32 (σ through
 * a degree-7 exp, tanh by a rational approximation within 4e-7), so outputs agree with the
 * JavaScript loop to float32 rounding, not bit for bit. Same layouts, same products, same order of
 * steps as fused-loops.ts, which stays the reference (and the path for a hidden size that is not a
 * multiple of 4, and for the cpu backend).
 */
import type { RecurrentStepKernels } from '../../backend/simd/wasm-simd.js';
import {
  AUX_BLOCKS,
  GATES,
  type BackwardViews,
  type ForwardViews,
  type FusedKind,
  type LoopProducts,
  type SequenceDims,
} from './fused-loops.js';

/** Whether the SIMD loops serve a layer: their kernels read whole 4-float lanes of every gate block. */
export const simdLoopsFit = (hidden: number): boolean => hidden % 4 === 0;

/** Forward views plus the scratch the kernels read, all in the wasm module's memory. */
export interface SimdForwardViews extends ForwardViews {
  /** [B, G·H]: this step's h_{t-1}·W_hh. */
  readonly recurrent: Float32Array;
  /** [B, P]: this step's projected h (projected LSTM only; else empty). */
  readonly projected: Float32Array;
}

/** Backward views plus the scratch the kernels read, all in the wasm module's memory. */
export interface SimdBackwardViews extends BackwardViews {
  /** [B, P]: dL/dh_t through step t+1's gates. */
  readonly dhRecurrent: Float32Array;
  /** [B, H]: LSTM's dL/dc_t through c_{t+1}; GRU's z·dh share. */
  readonly carry: Float32Array;
  /** [B, H]: a projected LSTM's dL/d(σ(o)·tanh(c_t)) (else empty). */
  readonly dhFull: Float32Array;
}

/** Byte offset in the module's memory of element `index` of a view over it. */
const at = (view: Float32Array, index = 0): number => view.byteOffset + 4 * index;

/** The output width P, after the checks fused-loops.ts makes. */
function outputWidth(kind: FusedKind, dims: SequenceDims, products: LoopProducts): number {
  if (products.projection && kind !== 'lstm') throw new Error(`a ${kind} loop has no projection`);
  const P = dims.output ?? dims.hidden;
  if (!products.projection && P !== dims.hidden)
    throw new Error('output differs from hidden without a projection');
  if (!simdLoopsFit(dims.hidden))
    throw new Error(`SIMD recurrent loops need hidden % 4 = 0, got ${dims.hidden}`);
  return P;
}

/** {@link forwardLoop} of fused-loops.ts with the gate pass in `kernels`. */
export function forwardLoopSimd(
  kind: FusedKind,
  dims: SequenceDims,
  products: LoopProducts,
  views: () => SimdForwardViews,
  kernels: RecurrentStepKernels,
): void {
  const { batch: B, steps: T, hidden: H } = dims;
  const P = outputWidth(kind, dims, products);
  const { projection } = products;
  const GH = GATES[kind] * H;
  const AH = AUX_BLOCKS[kind] * H;
  const first = views();
  if ((first.h0 || first.c0) && projection) throw new Error('a projected LSTM takes no initial state');
  for (let t = 0; t < T; t++) {
    const before = views();
    // From a zero state the first step's recurrent part is b_hh alone.
    if (t > 0) products.recurrent.run(before.y.subarray((t - 1) * P), T * P, before.recurrent);
    else if (before.h0) products.recurrent.run(before.h0, P, before.recurrent);
    else before.recurrent.fill(0);
    const { x, bias, y, aux, hFull, h0, c0, recurrent } = views();
    const b = bias ? at(bias) : 0;
    if (kind === 'lstm') {
      // c_{t-1}: the previous step's c block of aux, else c_0 (or zero).
      const [cPrev, cStride] =
        t > 0 ? [at(aux, (t - 1) * AH + 4 * H), T * AH * 4] : c0 ? [at(c0), H * 4] : [0, 0];
      // prettier-ignore
      kernels.lstmForwardStep(
        at(x, t * GH), T * GH * 4, at(recurrent), b, at(aux, t * AH), T * AH * 4,
        cPrev, cStride, at(hFull, t * H), T * H * 4, B, H,
      );
    } else if (kind === 'gru') {
      const [hPrev, hStride] = t > 0 ? [at(y, (t - 1) * H), T * H * 4] : h0 ? [at(h0), H * 4] : [0, 0];
      // prettier-ignore
      kernels.gruForwardStep(
        at(x, t * GH), T * GH * 4, at(recurrent), b, at(aux, t * AH), T * AH * 4,
        hPrev, hStride, at(y, t * H), T * H * 4, B, H,
      );
    } else {
      // prettier-ignore
      kernels.elmanForwardStep(
        at(x, t * GH), T * GH * 4, at(recurrent), b, at(y, t * H), T * H * 4, B, H, kind === 'relu' ? 1 : 0,
      );
    }
    if (projection) {
      // h_t = hFull_t·W_hr [B, H] -> [B, P], into the step's rows of y.
      const { hFull: full, projected } = views();
      projection.run(full.subarray(t * H), T * H, projected);
      const { y: out, projected: step } = views();
      for (let r = 0; r < B; r++) out.set(step.subarray(r * P, (r + 1) * P), (r * T + t) * P);
    }
  }
}

/** {@link backwardLoop} of fused-loops.ts with the gate pass in `kernels`. */
export function backwardLoopSimd(
  kind: FusedKind,
  dims: SequenceDims,
  products: LoopProducts,
  views: () => SimdBackwardViews,
  kernels: RecurrentStepKernels,
): void {
  const { batch: B, steps: T, hidden: H } = dims;
  const P = outputWidth(kind, dims, products);
  const { projection } = products;
  const GH = GATES[kind] * H;
  const AH = AUX_BLOCKS[kind] * H;
  for (let t = T - 1; t >= 0; t--) {
    const last = t === T - 1;
    if (projection) {
      // dh_t [B, P] = dy_t + the recurrent share, kept for dW_hr; then dh_t·W_hrᵀ -> [B, H].
      const { dy, dh, dhRecurrent } = views();
      for (let r = 0; r < B; r++) {
        const o = (r * T + t) * P;
        for (let p = 0; p < P; p++) dh[o + p] = dy[o + p]! + (last ? 0 : dhRecurrent[r * P + p]!);
      }
      const { dh: dhNow, dhFull } = views();
      projection.run(dhNow.subarray(t * P), T * P, dhFull);
    }
    const { dy, y, aux, dx, dRecurrent, h0, c0, dcT, dhRecurrent, carry, dhFull } = views();
    if (kind === 'lstm') {
      const [dhA, dhAStride] = projection ? [at(dhFull), H * 4] : [at(dy, t * H), T * H * 4];
      const dhB = projection || last ? 0 : at(dhRecurrent);
      const carryIn = last ? (dcT ? at(dcT) : 0) : at(carry);
      const [cPrev, cStride] =
        t > 0 ? [at(aux, (t - 1) * AH + 4 * H), T * AH * 4] : c0 ? [at(c0), H * 4] : [0, 0];
      // prettier-ignore
      kernels.lstmBackwardStep(
        dhA, dhAStride, dhB, carryIn, at(carry), at(aux, t * AH), T * AH * 4, cPrev, cStride,
        at(dx, t * GH), T * GH * 4, B, H,
      );
    } else if (kind === 'gru') {
      const [hPrev, hStride] = t > 0 ? [at(y, (t - 1) * H), T * H * 4] : h0 ? [at(h0), H * 4] : [0, 0];
      // dL/dh_t = dy_t + step t+1's recurrent share + its direct z·dh share (left in carry).
      // prettier-ignore
      kernels.gruBackwardStep(
        at(dy, t * H), T * H * 4, last ? 0 : at(dhRecurrent), last ? 0 : at(carry), at(aux, t * AH),
        T * AH * 4, hPrev, hStride, at(dx, t * GH), at(dRecurrent, t * GH), T * GH * 4, at(carry), B, H,
      );
    } else {
      // prettier-ignore
      kernels.elmanBackwardStep(
        at(dy, t * H), T * H * 4, last ? 0 : at(dhRecurrent), at(y, t * H), T * H * 4,
        at(dx, t * GH), T * GH * 4, B, H, kind === 'relu' ? 1 : 0,
      );
    }
    // Without an initial state to differentiate, nothing flows further back than step 0.
    if (t === 0 && !views().dh0) break;
    const after = views();
    products.recurrent.run(after.dRecurrent.subarray(t * GH), T * GH, after.dhRecurrent);
  }
  const { dh0, dc0, dhRecurrent, carry } = views();
  if (dh0) {
    // dL/dh_0: step 0's recurrent share (GRU: plus its z·dh share).
    dh0.set(dhRecurrent.subarray(0, B * P));
    if (kind === 'gru') for (let k = 0; k < B * H; k++) dh0[k] = dh0[k]! + carry[k]!;
  }
  if (dc0) dc0.set(carry.subarray(0, B * H)); // dL/dc_0 = dc_0·f_0, left in carry by step 0
}
