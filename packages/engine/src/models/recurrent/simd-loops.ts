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
 *
 * Here every tensor is a byte offset into that memory rather than a view: a kernel call takes
 * offsets anyway, and a step then makes no JavaScript objects beyond the products' operand views
 * (building a dozen views per step was a visible share of a small layer's step, and of its
 * garbage). Offsets stay valid when the memory grows; only the heap view is re-read after each
 * product, the one thing that may allocate there.
 */
import type { RecurrentStepKernels } from '../../backend/simd/wasm-simd.js';
import {
  AUX_BLOCKS,
  GATES,
  rowStrides,
  type FusedKind,
  type LoopProducts,
  type SequenceDims,
} from './fused-loops.js';

/** Whether the SIMD loops serve a layer: their kernels read whole 4-float lanes of every gate block. */
export const simdLoopsFit = (hidden: number): boolean => hidden % 4 === 0;

/** The module's memory as floats, re-read after each product (growing it detaches the old view). */
export type HeapView = () => Float32Array;

/**
 * Where a loop's tensors are: the heap, each tensor's byte offset, and how many batch rows the
 * tensors hold — more than the loop's `dims.batch` when it runs only the first rows of a larger
 * batch (the row split of split-loops.ts: the offsets then point at the window's first row, and
 * time-major tensors and `aux` keep the full batch's step stride). @default dims.batch
 */
export interface LoopMemory<Pointers> {
  readonly heap: HeapView;
  readonly at: Pointers;
  readonly tensorRows?: number;
}

/**
 * Byte offsets of the forward op's tensors and scratch in the module's memory, laid out as
 * fused-loops.ts' ForwardViews ([T, B, ·] instead of [B, T, ·] when the dims are time-major); 0 for
 * an absent one (no b_hh, a zero initial state, no projection).
 */
export interface ForwardPointers {
  /** [B, T, G·H] */
  readonly x: number;
  /** [G·H] */
  readonly bias: number;
  /** [B, T, P], written. */
  readonly y: number;
  /** [T, B, A·H], written. */
  readonly aux: number;
  /** [B, T, H], written: a projected LSTM's σ(o)·tanh(c); `y` itself without a projection. */
  readonly hFull: number;
  /** [B, H] */
  readonly h0: number;
  /** [B, H] */
  readonly c0: number;
  /** [B, G·H] scratch: this step's h_{t-1}·W_hh. */
  readonly recurrent: number;
  /** [B, P] scratch: this step's projected h (projected LSTM only). */
  readonly projected: number;
}

/** Byte offsets of the backward op's tensors and scratch, laid out as fused-loops.ts' BackwardViews. */
export interface BackwardPointers {
  /** [B, T, P] */
  readonly dy: number;
  /** [B, T, P] */
  readonly y: number;
  /** [T, B, A·H] */
  readonly aux: number;
  /** [B, T, G·H], written. */
  readonly dx: number;
  /** [B, T, G·H], written (GRU; dx itself for the other kinds). */
  readonly dRecurrent: number;
  /** [B, T, P], written (projected LSTM only). */
  readonly dh: number;
  /** [B, H] */
  readonly h0: number;
  /** [B, H] */
  readonly c0: number;
  /** [B, H]: dL/dc_T (LSTM). */
  readonly dcT: number;
  /** [B, P], written when given: dL/dh_0. */
  readonly dh0: number;
  /** [B, H], written when given (LSTM): dL/dc_0. */
  readonly dc0: number;
  /** [B, P] scratch: dL/dh_t through step t+1's gates. */
  readonly dhRecurrent: number;
  /** [B, H] scratch: LSTM's dL/dc_t through c_{t+1}; GRU's z·dh share. */
  readonly carry: number;
  /** [B, H] scratch: a projected LSTM's dL/d(σ(o)·tanh(c_t)). */
  readonly dhFull: number;
}

/**
 * The float index of byte offset `at`. Unsigned: the heap grows past 2 GiB (TFT's yardstick
 * training reaches ~2.5 GiB), and a signed shift turns an offset from 2^31 up negative, which
 * subarray, fill and copyWithin then count from the heap's end — reading and writing other tensors.
 */
const floatIndex = (at: number): number => at >>> 2;

/** The float view of `heap` starting at byte offset `at`. */
const from = (heap: Float32Array, at: number): Float32Array => heap.subarray(floatIndex(at));

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
  memory: LoopMemory<ForwardPointers>,
  kernels: RecurrentStepKernels,
): void {
  const { batch: B, steps: T, hidden: H } = dims;
  const P = outputWidth(kind, dims, products);
  const { projection } = products;
  const { heap, at: p } = memory;
  const rows = memory.tensorRows ?? B; // the tensors' batch: aux's step stride
  const GH = GATES[kind] * H;
  const AH = AUX_BLOCKS[kind] * H;
  if ((p.h0 || p.c0) && projection) throw new Error('a projected LSTM takes no initial state');
  const { batchStride: bs, stepStride: ts } = rowStrides({ ...dims, batch: rows });
  // Byte strides between the batch rows of one step.
  const [xStride, yStride, hStride, auxStride] = [bs * GH * 4, bs * P * 4, bs * H * 4, AH * 4];
  for (let t = 0; t < T; t++) {
    // From a zero state the first step's recurrent part is b_hh alone.
    const before = heap();
    const previous = p.y + (t - 1) * ts * P * 4;
    if (t > 0) products.recurrent.run(from(before, previous), bs * P, from(before, p.recurrent));
    else if (p.h0) products.recurrent.run(from(before, p.h0), P, from(before, p.recurrent));
    else before.fill(0, floatIndex(p.recurrent), floatIndex(p.recurrent) + B * GH);
    const x = p.x + t * ts * GH * 4;
    const aux = p.aux + t * rows * AH * 4;
    const h = t * ts * H * 4; // byte offset of this step's first row in y (or hFull)
    if (kind === 'lstm') {
      // c_{t-1}: the previous step's c block of aux, else c_0 (or zero).
      const [cPrev, cStride] = t > 0 ? [aux - rows * AH * 4 + 4 * H * 4, auxStride] : [p.c0, H * 4];
      // prettier-ignore
      kernels.lstmForwardStep(
        x, xStride, p.recurrent, p.bias, aux, auxStride, cPrev, cStride, p.hFull + h, hStride, B, H,
      );
    } else if (kind === 'gru') {
      const [hPrev, hPrevStride] = t > 0 ? [previous, hStride] : [p.h0, H * 4];
      // prettier-ignore
      kernels.gruForwardStep(
        x, xStride, p.recurrent, p.bias, aux, auxStride, hPrev, hPrevStride, p.y + h, hStride, B, H,
      );
    } else {
      // prettier-ignore
      kernels.elmanForwardStep(x, xStride, p.recurrent, p.bias, p.y + h, hStride, B, H, kind === 'relu' ? 1 : 0);
    }
    if (projection) {
      // h_t = hFull_t·W_hr [B, H] -> [B, P], into the step's rows of y.
      const full = heap();
      projection.run(from(full, p.hFull + h), bs * H, from(full, p.projected));
      const out = heap();
      for (let r = 0; r < B; r++) {
        const src = floatIndex(p.projected) + r * P;
        out.copyWithin(floatIndex(p.y + r * yStride) + t * ts * P, src, src + P);
      }
    }
  }
}

/** {@link backwardLoop} of fused-loops.ts with the gate pass in `kernels`. */
export function backwardLoopSimd(
  kind: FusedKind,
  dims: SequenceDims,
  products: LoopProducts,
  memory: LoopMemory<BackwardPointers>,
  kernels: RecurrentStepKernels,
): void {
  const { batch: B, steps: T, hidden: H } = dims;
  const P = outputWidth(kind, dims, products);
  const { projection } = products;
  const { heap, at: p } = memory;
  const rows = memory.tensorRows ?? B; // the tensors' batch: aux's step stride
  const GH = GATES[kind] * H;
  const AH = AUX_BLOCKS[kind] * H;
  const { batchStride: bs, stepStride: ts } = rowStrides({ ...dims, batch: rows });
  // Byte strides between the batch rows of one step.
  const [xStride, hStride, auxStride] = [bs * GH * 4, bs * H * 4, AH * 4];
  for (let t = T - 1; t >= 0; t--) {
    const last = t === T - 1;
    if (projection) {
      // dh_t [B, P] = dy_t + the recurrent share, kept for dW_hr; then dh_t·W_hrᵀ -> [B, H].
      const f = heap();
      const [dy, dh, dhRecurrent] = [floatIndex(p.dy), floatIndex(p.dh), floatIndex(p.dhRecurrent)];
      for (let r = 0; r < B; r++) {
        const o = (r * bs + t * ts) * P;
        for (let q = 0; q < P; q++) f[dh + o + q] = f[dy + o + q]! + (last ? 0 : f[dhRecurrent + r * P + q]!);
      }
      projection.run(from(f, p.dh + t * ts * P * 4), bs * P, from(f, p.dhFull));
    }
    const dx = p.dx + t * ts * GH * 4;
    const aux = p.aux + t * rows * AH * 4;
    const h = t * ts * H * 4; // byte offset of this step's first row in y and dy
    if (kind === 'lstm') {
      const [dhA, dhAStride] = projection ? [p.dhFull, H * 4] : [p.dy + h, hStride];
      const dhB = projection || last ? 0 : p.dhRecurrent;
      const carryIn = last ? p.dcT : p.carry;
      const [cPrev, cStride] = t > 0 ? [aux - rows * AH * 4 + 4 * H * 4, auxStride] : [p.c0, H * 4];
      // prettier-ignore
      kernels.lstmBackwardStep(
        dhA, dhAStride, dhB, carryIn, p.carry, aux, auxStride, cPrev, cStride, dx, xStride, B, H,
      );
    } else if (kind === 'gru') {
      const [hPrev, hPrevStride] = t > 0 ? [p.y + h - ts * H * 4, hStride] : [p.h0, H * 4];
      // dL/dh_t = dy_t + step t+1's recurrent share + its direct z·dh share (left in carry).
      // prettier-ignore
      kernels.gruBackwardStep(
        p.dy + h, hStride, last ? 0 : p.dhRecurrent, last ? 0 : p.carry, aux, auxStride,
        hPrev, hPrevStride, dx, p.dRecurrent + t * ts * GH * 4, xStride, p.carry, B, H,
      );
    } else {
      // prettier-ignore
      kernels.elmanBackwardStep(
        p.dy + h, hStride, last ? 0 : p.dhRecurrent, p.y + h, hStride, dx, xStride, B, H,
        kind === 'relu' ? 1 : 0,
      );
    }
    // Without an initial state to differentiate, nothing flows further back than step 0.
    if (t === 0 && !p.dh0) break;
    const after = heap();
    const dRecurrent = p.dRecurrent + t * ts * GH * 4;
    products.recurrent.run(from(after, dRecurrent), bs * GH, from(after, p.dhRecurrent));
  }
  const f = heap();
  if (p.dh0) {
    // dL/dh_0: step 0's recurrent share (GRU: plus its z·dh share).
    const [dh0, dhRecurrent, carry] = [floatIndex(p.dh0), floatIndex(p.dhRecurrent), floatIndex(p.carry)];
    f.copyWithin(dh0, dhRecurrent, dhRecurrent + B * P);
    if (kind === 'gru') for (let k = 0; k < B * H; k++) f[dh0 + k] = f[dh0 + k]! + f[carry + k]!;
  }
  // dL/dc_0 = dc_0·f_0, left in carry by step 0.
  if (p.dc0) f.copyWithin(floatIndex(p.dc0), floatIndex(p.carry), floatIndex(p.carry) + B * H);
}
