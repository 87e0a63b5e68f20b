/**
 * The hand-written SIMD kernels of kernels.wat, instantiated over a wasm backend's own memory so
 * they read and write tensors in place (see kernels.wat for what each computes and why).
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from '../../native/backend-memory.js';
import { KERNELS_WASM_BASE64 } from './kernels-binary.js';
import { withSharedMemoryImport } from './shared-memory-import.js';

/** Adam's scalars for one update; see `adam` in kernels.wat. */
export interface AdamScalars {
  readonly beta1: number;
  readonly beta2: number;
  readonly stepSize: number;
  readonly inverseRoot2: number;
  readonly epsilon: number;
}

/** The kernels, taking byte offsets into the backend's memory and element counts. */
export interface SimdKernels {
  adam(p: number, g: number, m: number, s: number, out: number, n: number, c: AdamScalars): void;
  /** c [rows, cols] += bias per column (`bias` 0: none), then relu when `relu`; in place. */
  biasRelu(c: number, bias: number, rows: number, cols: number, relu: boolean): void;
  /** `biasGrad` 0 skips the bias gradient. */
  reluBackward(dy: number, y: number, dz: number, rows: number, cols: number, biasGrad: number): void;
  /** out = x·Φ(x) over n floats (exact-form GELU). */
  gelu(x: number, out: number, n: number): void;
  /** dx = dy·(Φ(x) + x·φ(x)) over n floats; dx may alias dy. */
  geluBackward(dy: number, x: number, dx: number, n: number): void;
  /** out = x·Φ(x) and slope = Φ(x) + x·φ(x) over n floats (training: the backward is dy·slope). */
  geluWithSlope(x: number, out: number, slope: number, n: number): void;
  /** cdf = Φ(x), out = x·Φ(x)·m over n floats (BiTCN's GELU then dropout mask m). */
  geluMask(x: number, m: number, out: number, cdf: number, n: number): void;
  /** dx = dy·m·(Φ + x·φ(x)) over n floats, Φ the forward's cdf. */
  geluMaskBackward(dy: number, m: number, x: number, cdf: number, dx: number, n: number): void;
  /** TFT's LayerNorm(GLU(g) + skip) forward, writing the gate too; see {@link GatedNormForwardPointers}. */
  gatedNormForward(p: GatedNormForwardPointers, shape: GatedNormShape, eps: number): void;
  /** Its backward; `acc` is scratch of 2·groups·w float64. */
  gatedNormBackward(p: GatedNormBackwardPointers, shape: GatedNormShape): void;
  /** Layer norm of [rows, cols] x over cols; stats [rows, 2] gets each row's (mean, 1/√(var+eps)). */
  layerNorm(p: LayerNormPointers, rows: number, cols: number, eps: number): void;
  /** Its backward: dx, and dg/db summed over rows in float64 in acc (2·cols doubles, 8-aligned). */
  layerNormBackward(p: LayerNormBackwardPointers, rows: number, cols: number): void;
  /** out = tanh(x) of complex rows of 2w floats (w real parts, then w imaginary parts); out ≠ x. */
  complexTanh(x: number, out: number, rows: number, w: number): void;
  /** Its backward from the output y; dx may alias dy. */
  complexTanhBackward(dy: number, y: number, dx: number, rows: number, w: number): void;
  /** Per row: w = softmax over L of scores s [L, H] (per column), out [H] = Σ_l w[l, ·]·y[l]. */
  mixture(p: MixturePointers, rows: number, L: number, H: number): void;
  /** Its backward: ds = w·g·(y − out) [rows, L, H] (may alias w), dy = Σ_j w·g [rows, L]. */
  mixtureBackward(p: MixtureBackwardPointers, rows: number, L: number, H: number): void;
  /** The backward of y = ELU(z + bias row g) over [rows, cols] in groups of `perGroup` rows, from y: dz, and the per-group bias gradient unless `biasGrad` is 0. */
  eluBackward(dy: number, y: number, dz: number, shape: GroupedRows, biasGrad: number): void;
  /** One time step of a fused recurrent layer's gate pass (see kernels.wat and simd-loops.ts). */
  readonly recurrent: RecurrentStepKernels;
  /**
   * A dropout mask over n floats at `out`: `value` where the next xoshiro128** draw from `state` is
   * ≥ `threshold` (unsigned 32-bit), else 0 — Rng.fillThresholded's values.
   */
  dropoutMask(out: number, n: number, state: readonly number[], threshold: number, value: number): void;
  /** dx = scale·(dy·y − (Σ_row dy·y)·y) over `rows` rows of `width` floats (softmax's backward). */
  softmaxBackward(dy: number, y: number, dx: number, rows: number, width: number, scale: number): void;
  /** `calls` products C_t = op(A_t)·op(B_t) (+ C_t when `accumulate`); see {@link BatchedGemmOperands}. */
  batchedGemm(operands: BatchedGemmOperands, shape: BatchedGemmShape, accumulate: boolean): void;
}

/**
 * Where a batch of products lies: product t reads A at `a + t·aStride` and B at `b + t·bStride`
 * and writes C at `c + t·cStride`, all in bytes (a stride 0 broadcasts the operand). `scratch`:
 * n·k floats where A·Bᵀ products transpose each B_t for the blocked A·B loop (0: none, and A·Bᵀ
 * runs as dot products).
 */
export interface BatchedGemmOperands {
  readonly a: number;
  readonly aStride: number;
  readonly b: number;
  readonly bStride: number;
  readonly c: number;
  readonly cStride: number;
  readonly scratch: number;
}

/**
 * Each product's op(A) [m, k] · op(B) [k, n] -> C [m, n] (packed), with A and B stored row-major
 * in rows of lda and ldb floats ([k, m] and [n, k] when transposed), as cblas_sgemm reads them.
 */
export interface BatchedGemmShape {
  readonly calls: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly lda: number;
  readonly ldb: number;
  readonly transA: boolean;
  readonly transB: boolean;
}

/**
 * The recurrent step kernels: every argument a byte offset, a byte stride, or a count (`rows`,
 * `hidden`, a multiple of 4); a pointer 0 stands for an absent input. See kernels.wat.
 */
export interface RecurrentStepKernels {
  lstmForwardStep(
    x: number,
    xStride: number,
    rec: number,
    bias: number,
    aux: number,
    auxStride: number,
    cPrev: number,
    cPrevStride: number,
    h: number,
    hStride: number,
    rows: number,
    hidden: number,
  ): void;
  lstmBackwardStep(
    dhA: number,
    dhAStride: number,
    dhB: number,
    carryIn: number,
    carryOut: number,
    aux: number,
    auxStride: number,
    cPrev: number,
    cPrevStride: number,
    dx: number,
    dxStride: number,
    rows: number,
    hidden: number,
  ): void;
  gruForwardStep(
    x: number,
    xStride: number,
    rec: number,
    bias: number,
    aux: number,
    auxStride: number,
    hPrev: number,
    hPrevStride: number,
    h: number,
    hStride: number,
    rows: number,
    hidden: number,
  ): void;
  gruBackwardStep(
    dy: number,
    dyStride: number,
    dhB: number,
    dhC: number,
    aux: number,
    auxStride: number,
    hPrev: number,
    hPrevStride: number,
    dx: number,
    dRec: number,
    dxStride: number,
    carry: number,
    rows: number,
    hidden: number,
  ): void;
  elmanForwardStep(
    x: number,
    xStride: number,
    rec: number,
    bias: number,
    h: number,
    hStride: number,
    rows: number,
    hidden: number,
    relu: number,
  ): void;
  elmanBackwardStep(
    dy: number,
    dyStride: number,
    dhB: number,
    y: number,
    yStride: number,
    dx: number,
    dxStride: number,
    rows: number,
    hidden: number,
    relu: number,
  ): void;
}

/** Rows, width w (a multiple of 4) and rows per gain/shift group of a gate-add-norm kernel call. */
export interface GatedNormShape {
  readonly rows: number;
  readonly width: number;
  readonly perGroup: number;
}

/** Byte offsets of gatedNormForward's inputs (g, skip, gamma, beta) and outputs (y, s, mean, rstd). */
export interface GatedNormForwardPointers {
  readonly g: number;
  readonly skip: number;
  readonly gamma: number;
  readonly beta: number;
  readonly y: number;
  readonly s: number;
  readonly mean: number;
  readonly rstd: number;
}

/** Byte offsets of gatedNormBackward's inputs, outputs and float64 scratch. */
export interface GatedNormBackwardPointers {
  readonly dy: number;
  readonly g: number;
  readonly s: number;
  readonly skip: number;
  readonly gamma: number;
  readonly mean: number;
  readonly rstd: number;
  readonly dg: number;
  readonly dskip: number;
  readonly dgamma: number;
  readonly dbeta: number;
  readonly acc: number;
}

/** Byte offsets of layerNorm's tensors. */
export interface LayerNormPointers {
  readonly x: number;
  readonly gain: number;
  readonly shift: number;
  readonly out: number;
  readonly stats: number;
}

/** Byte offsets of layerNormBackward's tensors. */
export interface LayerNormBackwardPointers {
  readonly dy: number;
  readonly x: number;
  readonly gain: number;
  readonly stats: number;
  readonly dx: number;
  readonly acc: number;
  readonly dGain: number;
  readonly dShift: number;
}

/** Byte offsets of mixture's tensors: scores s and weights w [rows, L, H], y [rows, L], out [rows, H]. */
export interface MixturePointers {
  readonly s: number;
  readonly y: number;
  readonly w: number;
  readonly out: number;
}

/** Byte offsets of mixtureBackward's tensors: g and out [rows, H], y and dy [rows, L], w and ds [rows, L, H]. */
export interface MixtureBackwardPointers {
  readonly g: number;
  readonly y: number;
  readonly w: number;
  readonly out: number;
  readonly ds: number;
  readonly dy: number;
}

/** [rows, cols] in groups of `perGroup` consecutive rows. */
export interface GroupedRows {
  readonly rows: number;
  readonly cols: number;
  readonly perGroup: number;
}

/** The kernels bound to one backend, with the byte offset of a tensor's float32 storage there. */
export interface WasmSimd {
  readonly kernels: SimdKernels;
  /** Byte offset of the tensor's data, or null when it has none (not yet written, or not float32). */
  offset(info: TensorInfo): number | null;
}

interface KernelExports extends RecurrentStepKernels {
  adam(...args: number[]): void;
  biasRelu(...args: number[]): void;
  reluBackward(...args: number[]): void;
  gelu(...args: number[]): void;
  geluBackward(...args: number[]): void;
  geluWithSlope(...args: number[]): void;
  geluMask(...args: number[]): void;
  geluMaskBackward(...args: number[]): void;
  gatedNormForward(...args: number[]): void;
  gatedNormBackward(...args: number[]): void;
  layerNorm(...args: number[]): void;
  layerNormBackward(...args: number[]): void;
  batchedGemm(...args: number[]): void;
  dropoutMask(...args: number[]): void;
  softmaxBackward(...args: number[]): void;
  complexTanh(...args: number[]): void;
  complexTanhBackward(...args: number[]): void;
  mixture(...args: number[]): void;
  mixtureBackward(...args: number[]): void;
  eluBackward(...args: number[]): void;
}

// The slice of the WebAssembly JS API used here; the project's lib (no DOM) does not declare it.
interface WasmModule {
  readonly __brand: 'WebAssembly.Module';
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
  Memory: abstract new (...args: never[]) => object;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: WasmModule | null | undefined;
/** The compiled module, or null where this WebAssembly engine lacks SIMD or bulk memory. */
const kernelsModule = (): WasmModule | null => {
  if (compiled === undefined) {
    const bytes = Buffer.from(KERNELS_WASM_BASE64, 'base64');
    compiled = wasmApi.validate(bytes) ? new wasmApi.Module(bytes) : null;
  }
  return compiled;
};

let compiledShared: WasmModule | null | undefined;
/** The module with its memory import declared shared (see shared-memory-import.ts), or null. */
const sharedKernelsModule = (): WasmModule | null => {
  if (compiledShared === undefined) {
    const bytes = withSharedMemoryImport(Buffer.from(KERNELS_WASM_BASE64, 'base64'));
    compiledShared = wasmApi.validate(bytes) ? new wasmApi.Module(bytes) : null;
  }
  return compiledShared;
};

const recurrentKernels = (exports: KernelExports): RecurrentStepKernels => ({
  lstmForwardStep: exports.lstmForwardStep,
  lstmBackwardStep: exports.lstmBackwardStep,
  gruForwardStep: exports.gruForwardStep,
  gruBackwardStep: exports.gruBackwardStep,
  elmanForwardStep: exports.elmanForwardStep,
  elmanBackwardStep: exports.elmanBackwardStep,
});

/**
 * The recurrent step kernels over `memory`, a shared `WebAssembly.Memory` (maximum at most 65,536
 * pages) — for a worker thread that runs part of a batch's time loop (recurrent/split-loops.ts);
 * null where this engine lacks SIMD, bulk memory or threads.
 */
export const sharedMemoryRecurrentKernels = (memory: object): RecurrentStepKernels | null => {
  const module = sharedKernelsModule();
  if (module === null) return null;
  return recurrentKernels(new wasmApi.Instance(module, { env: { memory } }).exports as KernelExports);
};

const bound = new WeakMap<object, WasmSimd | null>();

const bind = (backend: WasmBackendLike): WasmSimd | null => {
  const module = kernelsModule();
  const memory = backend.wasm.asm?.memory;
  if (module === null || !(memory instanceof wasmApi.Memory)) return null;
  const exports = new wasmApi.Instance(module, { env: { memory } }).exports as KernelExports;
  return {
    kernels: {
      adam: (p, g, m, s, out, n, c) =>
        exports.adam(
          p,
          g,
          m,
          s,
          out,
          n,
          c.beta1,
          1 - c.beta1,
          c.beta2,
          1 - c.beta2,
          c.stepSize,
          c.inverseRoot2,
          c.epsilon,
        ),
      biasRelu: (c, bias, rows, cols, relu) => exports.biasRelu(c, bias, rows, cols, relu ? 1 : 0),
      reluBackward: (dy, y, dz, rows, cols, biasGrad) =>
        exports.reluBackward(dy, y, dz, rows, cols, biasGrad),
      gelu: (x, out, n) => exports.gelu(x, out, n),
      geluBackward: (dy, x, dx, n) => exports.geluBackward(dy, x, dx, n),
      geluWithSlope: (x, out, slope, n) => exports.geluWithSlope(x, out, slope, n),
      geluMask: (x, m, out, cdf, n) => exports.geluMask(x, m, out, cdf, n),
      geluMaskBackward: (dy, m, x, cdf, dx, n) => exports.geluMaskBackward(dy, m, x, cdf, dx, n),
      recurrent: recurrentKernels(exports),
      gatedNormForward: (p, { rows, width, perGroup }, eps) =>
        exports.gatedNormForward(
          p.g,
          p.skip,
          p.gamma,
          p.beta,
          p.y,
          p.s,
          p.mean,
          p.rstd,
          rows,
          width,
          perGroup,
          eps,
        ),
      gatedNormBackward: (p, { rows, width, perGroup }) =>
        exports.gatedNormBackward(
          p.dy,
          p.g,
          p.s,
          p.skip,
          p.gamma,
          p.mean,
          p.rstd,
          p.dg,
          p.dskip,
          p.dgamma,
          p.dbeta,
          p.acc,
          rows,
          width,
          perGroup,
          rows / perGroup,
        ),
      layerNorm: (p, rows, cols, eps) =>
        exports.layerNorm(p.x, p.gain, p.shift, p.out, p.stats, rows, cols, eps),
      layerNormBackward: (p, rows, cols) =>
        exports.layerNormBackward(p.dy, p.x, p.gain, p.stats, p.dx, p.acc, p.dGain, p.dShift, rows, cols),
      batchedGemm: (o, s, accumulate) =>
        exports.batchedGemm(
          o.a,
          o.aStride,
          o.b,
          o.bStride,
          o.c,
          o.cStride,
          s.calls,
          s.m,
          s.n,
          s.k,
          s.lda,
          s.ldb,
          s.transA ? 1 : 0,
          s.transB ? 1 : 0,
          accumulate ? 1 : 0,
          o.scratch,
        ),
      dropoutMask: (out, n, [s0 = 0, s1 = 0, s2 = 0, s3 = 0], threshold, value) =>
        exports.dropoutMask(out, n, s0, s1, s2, s3, threshold, value),
      softmaxBackward: (dy, y, dx, rows, width, scale) =>
        exports.softmaxBackward(dy, y, dx, rows, width, scale),
      complexTanh: (x, out, rows, w) => exports.complexTanh(x, out, rows, w),
      complexTanhBackward: (dy, y, dx, rows, w) => exports.complexTanhBackward(dy, y, dx, rows, w),
      mixture: (p, rows, L, H) => exports.mixture(p.s, p.y, p.w, p.out, rows, L, H),
      mixtureBackward: (p, rows, L, H) =>
        exports.mixtureBackward(p.g, p.y, p.w, p.out, p.ds, p.dy, rows, L, H),
      eluBackward: (dy, y, dz, { rows, cols, perGroup }, biasGrad) =>
        exports.eluBackward(dy, y, dz, rows, cols, perGroup, biasGrad),
    },
    offset: (info) =>
      info.dtype === 'float32' ? (backend.dataIdMap.get(info.dataId)?.memoryOffset ?? null) : null,
  };
};

/** The SIMD kernels over `backend`'s memory (a wasm backend instance), or null when unavailable. */
export const wasmSimd = (backend: unknown): WasmSimd | null => {
  const key = backend as object;
  if (!bound.has(key)) bound.set(key, bind(backend as WasmBackendLike));
  return bound.get(key) ?? null;
};
