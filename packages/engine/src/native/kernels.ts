import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { wasmSimd } from '../backend/simd/wasm-simd.js';
import { backendMemory, type NativeBackendName } from './backend-memory.js';
import {
  applyActivation,
  fillBias,
  isNativeActivation,
  rowBroadcast,
  type NativeActivation,
  type RowBroadcast,
} from './epilogue.js';
import { planGemm, productOffsets, type GemmPlan } from './gemm-plan.js';
import type { Sgemm } from './openblas.js';
import { runSmallGemm } from './small-gemm.js';

/** Counts of kernel calls served natively and handed back to the reference kernel. */
export interface NativeKernelStats {
  native: number;
  fallback: number;
  /** Of the native calls, those whose many tiny products ran as one SIMD kernel call (small-gemm.ts). */
  batched: number;
}

/** Runs the plan's sgemm calls over views of A, B and C (C pre-filled when beta = 1). */
function runPlan(
  sgemm: Sgemm,
  plan: GemmPlan,
  views: [Float32Array, Float32Array, Float32Array],
  beta: number,
): void {
  const [a, b, c] = views;
  const aSize = plan.m * plan.k;
  const bSize = plan.k * plan.n;
  const cSize = plan.m * plan.n;
  for (let t = 0; t < plan.calls; t++) {
    const [ao, bo, co] = productOffsets(plan.offsets, t);
    sgemm({
      transA: plan.transA,
      transB: plan.transB,
      m: plan.m,
      n: plan.n,
      k: plan.k,
      a: a.subarray(ao, ao + aSize),
      lda: plan.lda,
      b: b.subarray(bo, bo + bSize),
      ldb: plan.ldb,
      beta,
      c: c.subarray(co, co + cSize),
      ldc: plan.n,
    });
  }
}

type KernelArgs = Parameters<KernelFunc>[0];

/** What a native matmul needs from one kernel invocation, or null to fall back. */
interface Prepared {
  plan: GemmPlan;
  a: TensorInfo;
  b: TensorInfo;
}

function prepare(args: KernelArgs): Prepared | null {
  const { a, b } = args.inputs;
  if (!a || !b || a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const attrs: NamedAttrMap = args.attrs ?? {};
  const plan = planGemm({
    aShape: a.shape,
    bShape: b.shape,
    transposeA: attrs.transposeA === true,
    transposeB: attrs.transposeB === true,
  });
  return plan ? { plan, a, b } : null;
}

/**
 * The plan's products into `out`: on wasm a batch of tiny ones in one SIMD kernel call
 * (small-gemm.ts), anything else through `runPlan`'s sgemm calls.
 */
function runProducts(
  ctx: OverrideContext,
  backend: unknown,
  { plan, a, b }: Prepared,
  out: TensorInfo,
  views: [Float32Array, Float32Array, Float32Array],
  beta: number,
): void {
  if (ctx.backendName === 'wasm' && runSmallGemm(backend, plan, [a, b, out], beta)) ctx.stats.batched++;
  else runPlan(ctx.sgemm, plan, views, beta);
}

/** Shared context of one backend's override: its name, BLAS and the kernel it replaces. */
export interface OverrideContext {
  backendName: NativeBackendName;
  sgemm: Sgemm;
  original: KernelConfig;
  stats: NativeKernelStats;
}

/** A `BatchMatMul` kernel on BLAS; defers to the original for non-float32 or odd shapes. */
export function nativeBatchMatMul(ctx: OverrideContext): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const prepared = prepare(args);
    if (prepared === null) return fallback(ctx, args);
    const mem = backendMemory(ctx.backendName, args.backend);
    const out = mem.alloc([...prepared.plan.outShape]);
    const [va, vb, vc] = [mem.view(prepared.a), mem.view(prepared.b), mem.view(out)];
    if (!va || !vb || !vc) return fallbackAfterAlloc(ctx, args, out);
    runProducts(ctx, args.backend, prepared, out, [va, vb, vc], 0);
    ctx.stats.native++;
    return out;
  };
  return { ...ctx.original, kernelFunc };
}

/**
 * A `_FusedMatMul` kernel on BLAS: the bias is written into C first and accumulated by sgemm
 * (beta = 1), then the activation runs in place. Unsupported bias/activation shapes fall back.
 */
export function nativeFusedMatMul(ctx: OverrideContext): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const prepared = prepare(args);
    const attrs: NamedAttrMap = args.attrs ?? {};
    const activation = String(attrs.activation ?? 'linear');
    const { bias, preluActivationWeights: prelu } = args.inputs;
    if (prepared === null || !isNativeActivation(activation)) return fallback(ctx, args);
    const n = prepared.plan.n;
    const biasMode = bias ? rowBroadcast(bias.shape, n) : null;
    const preluMode = prelu ? rowBroadcast(prelu.shape, n) : null;
    const unsupported =
      (bias && (biasMode === null || bias.dtype !== 'float32')) ||
      (activation === 'prelu' && (!prelu || preluMode === null || prelu.dtype !== 'float32'));
    if (unsupported) return fallback(ctx, args);
    const mem = backendMemory(ctx.backendName, args.backend);
    const out = mem.alloc([...prepared.plan.outShape]);
    const [va, vb, vc] = [mem.view(prepared.a), mem.view(prepared.b), mem.view(out)];
    const vBias = bias ? mem.view(bias) : null;
    const vPrelu = prelu ? mem.view(prelu) : null;
    if (!va || !vb || !vc || (bias && !vBias) || (prelu && !vPrelu)) {
      return fallbackAfterAlloc(ctx, args, out);
    }
    const simd =
      ctx.backendName === 'wasm' ? simdEpilogue(args.backend, out, bias, biasMode, activation) : null;
    if (simd) {
      runProducts(ctx, args.backend, prepared, out, [va, vb, vc], 0);
      simd();
    } else {
      if (vBias && biasMode) fillBias(vc, vBias, biasMode);
      runProducts(ctx, args.backend, prepared, out, [va, vb, vc], vBias ? 1 : 0);
      const alpha = typeof attrs.leakyreluAlpha === 'number' ? attrs.leakyreluAlpha : 0.2;
      applyActivation(vc, activation, { alpha, weights: vPrelu, weightsMode: preluMode });
    }
    ctx.stats.native++;
    return out;
  };
  return { ...ctx.original, kernelFunc };
}

/**
 * The bias and relu/linear epilogue as one SIMD pass over a wasm output (sgemm then runs with
 * beta = 0), or null where the kernel does not apply: other activations, a scalar bias, no SIMD.
 */
function simdEpilogue(
  backend: unknown,
  out: TensorInfo,
  bias: TensorInfo | undefined,
  biasMode: RowBroadcast | null,
  activation: NativeActivation,
): (() => void) | null {
  if ((activation !== 'relu' && activation !== 'linear') || (bias && biasMode !== 'row')) return null;
  const simd = wasmSimd(backend);
  const outOffset = simd?.offset(out) ?? null;
  const biasOffset = bias ? (simd?.offset(bias) ?? null) : 0;
  if (simd === null || outOffset === null || biasOffset === null) return null;
  if (!bias && activation === 'linear') return () => {};
  const cols = out.shape[out.shape.length - 1] ?? 1;
  const rows = out.shape.reduce((p, d) => p * d, 1) / cols;
  return () => simd.kernels.biasRelu(outOffset, biasOffset, rows, cols, activation === 'relu');
}

function fallback(ctx: OverrideContext, args: KernelArgs): TensorInfo | TensorInfo[] {
  ctx.stats.fallback++;
  return ctx.original.kernelFunc(args);
}

/** Frees an output allocated before a view turned out to be unavailable, then falls back. */
function fallbackAfterAlloc(
  ctx: OverrideContext,
  args: KernelArgs,
  out: TensorInfo,
): TensorInfo | TensorInfo[] {
  // Both backends expose disposeData(dataId); the output never reached the engine.
  (args.backend as { disposeData(id: object): void }).disposeData(out.dataId);
  return fallback(ctx, args);
}
