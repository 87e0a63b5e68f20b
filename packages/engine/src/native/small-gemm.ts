/**
 * Batched matmuls of many tiny products in one SIMD kernel call instead of one sgemm call each.
 * Attention multiplies [B·H, L, E] × [B·H, E, S] per head and window: at PatchTST's yardstick
 * (1024 windows, 16 heads, 3 patches, E = 8) that is 16,384 products of 72 multiply-adds, and each
 * BLAS call costs microseconds of FFI and view construction, far more than its arithmetic.
 * kernels.wat's batchedGemm runs the whole batch in the wasm heap with no per-product JavaScript.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { wasmSimd } from '../backend/simd/wasm-simd.js';
import { backendMemory } from './backend-memory.js';
import type { GemmPlan } from './gemm-plan.js';

/**
 * Products of at most this many multiply-adds (m·n·k) run in the kernel when a plan has several.
 * Below it one sgemm call's fixed cost outweighs the kernel's slower arithmetic (no FMA, no
 * packing of A). `bench/small-gemm.ts` measures the crossover (bench/results/small-gemm.json, load
 * ~16): with the register-blocked loops every form wins up to 32×32×32 (32,768) — VanillaTransformer's
 * 4,096 products of 24×24×32 in 14.4 ms against 17.4, of 24×32×24 in 15.6 and 14.0 against 21.1 and
 * 19.7 — and from 32×32×64 (65,536) on sgemm wins most forms, by up to 2.5 × at 96×64×96.
 */
export const SMALL_GEMM_MAX_MACS = 32768;

let maxMacs = SMALL_GEMM_MAX_MACS;

/**
 * Off: every product through sgemm again (for A/B measurements and equivalence tests). On, with
 * products up to `upToMacs` multiply-adds (a bench measuring the crossover raises it). @default on
 */
export const setSmallGemmKernelEnabled = (on: boolean, upToMacs = SMALL_GEMM_MAX_MACS): void => {
  maxMacs = on ? upToMacs : 0;
};

/** Whether products of `macs` multiply-adds are small enough for the kernel (under the switch). */
export const smallGemmFits = (macs: number): boolean => macs <= maxMacs;

/**
 * Runs every product of `plan` over wasm tensors `a`, `b` into `c` (adding to C's contents when
 * `beta` is 1) in one kernel call and returns true; returns false, having done nothing, when the
 * plan is one product, its products are large, a partial batch broadcast lists the offsets
 * (`ProductOffsets`), or the SIMD kernels are unavailable.
 */
export function runSmallGemm(
  backend: unknown,
  plan: GemmPlan,
  [a, b, c]: readonly [TensorInfo, TensorInfo, TensorInfo],
  beta: number,
): boolean {
  const { calls, offsets } = plan;
  if (calls < 2 || !smallGemmFits(plan.m * plan.n * plan.k) || offsets.kind !== 'even') return false;
  const simd = wasmSimd(backend);
  if (simd === null) return false;
  // A·Bᵀ of four rows or more transposes each B_t into scratch for the blocked A·B loop.
  const scratch =
    plan.transB && !plan.transA && plan.m >= 4
      ? backendMemory('wasm', backend).alloc([plan.n * plan.k])
      : null;
  try {
    // After the allocation, which may grow the heap (offsets stay, views would not).
    const [pa, pb, pc] = [a, b, c].map((t) => simd.offset(t));
    const ps = scratch === null ? 0 : simd.offset(scratch);
    if (pa == null || pb == null || pc == null || ps == null) return false;
    simd.kernels.batchedGemm(
      {
        a: pa,
        aStride: offsets.a * 4,
        b: pb,
        bStride: offsets.b * 4,
        c: pc,
        cStride: offsets.c * 4,
        scratch: ps,
      },
      {
        calls,
        m: plan.m,
        n: plan.n,
        k: plan.k,
        lda: plan.lda,
        ldb: plan.ldb,
        transA: plan.transA,
        transB: plan.transB,
      },
      beta !== 0,
    );
    return true;
  } finally {
    if (scratch !== null) (backend as { disposeData(id: object): void }).disposeData(scratch.dataId);
  }
}
