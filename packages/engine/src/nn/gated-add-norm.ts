/**
 * TFT's gate-add-norm, `LayerNorm(GLU(g) + skip)` (Lim et al. 2021, eqs. 2 and 5), as one op with
 * its own gradient. Composed from tf ops it is ~13 kernels forward (split, sigmoid, product, sum,
 * moments, normalise, affine), each a pass over [rows, w] and a tensor the tape keeps, and more
 * backward; at TFT's 24,576 rows per variable that was what filled the wasm heap (so the blocks were
 * checkpointed and run twice). Here the forward is one pass per row writing the output, the gate
 * σ(b) and the row's mean and 1/σ (all the backward keeps beside the inputs); the backward is one
 * pass per row recomputing the rest.
 *
 * On wasm with SIMD both run as kernels.wat's `gatedNormForward`/`gatedNormBackward` (four lanes,
 * float32 row sums, float64 gain/shift gradient sums) when w is a multiple of 4; the JavaScript
 * loops below serve cpu, odd widths and wasm without SIMD. The JavaScript forward's exp was half
 * its time at TFT's yardstick (and the gate's column slice and sigmoid as tf ops cost as much).
 *
 * The gain and shift may be one [w] vector or G stacked ones ([G, 1, w], TFT's stacked GRNs): rows
 * then fall into G equal consecutive groups, group i normalised with gain i. Kernels for cpu and
 * wasm write into the backends' memory; other backends run the tf-op composition.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { wasmSimd, type WasmSimd } from '../backend/simd/wasm-simd.js';
import { heapOffsets, registerOnce } from '../backend/wasm-kernel.js';
import {
  backendMemory,
  float32Views,
  NATIVE_BACKENDS,
  type NativeBackendName,
} from '../native/backend-memory.js';
import { glu } from './glu.js';

export const GATED_NORM_FORWARD = 'NflabGatedNormForward';
export const GATED_NORM_BACKWARD = 'NflabGatedNormBackward';

/** The kernels' attributes. */
interface GatedNormAttrs {
  /** Width w of the output (g is 2w wide). */
  readonly width: number;
  /** Number of gain/shift groups G. */
  readonly groups: number;
  readonly eps: number;
}

/** g [R, 2w] = [a, b], skip [R, w], gain/shift [G·w] -> out [R, w], the gate s = σ(b) [R, w], mean [R], 1/σ [R]. */
export function gatedNormForward(
  v: { g: Float32Array; skip: Float32Array; gamma: Float32Array; beta: Float32Array },
  out: { y: Float32Array; s: Float32Array; mean: Float32Array; rstd: Float32Array },
  attrs: GatedNormAttrs,
): void {
  const { width: w, groups, eps } = attrs;
  const rows = out.mean.length;
  const perGroup = rows / groups;
  const { g, skip, gamma, beta } = v;
  const { y, s } = out;
  for (let r = 0; r < rows; r++) {
    const go = r * 2 * w;
    const yo = r * w;
    const po = Math.floor(r / perGroup) * w;
    let sum = 0;
    for (let j = 0; j < w; j++) {
      s[yo + j] = 1 / (1 + Math.exp(-g[go + w + j]!));
      const value = g[go + j]! * s[yo + j]! + skip[yo + j]!;
      y[yo + j] = value;
      sum += value;
    }
    const mean = sum / w;
    let squares = 0;
    for (let j = 0; j < w; j++) {
      const c = y[yo + j]! - mean;
      squares += c * c;
    }
    const rstd = 1 / Math.sqrt(squares / w + eps);
    for (let j = 0; j < w; j++) y[yo + j] = (y[yo + j]! - mean) * rstd * gamma[po + j]! + beta[po + j]!;
    out.mean[r] = mean;
    out.rstd[r] = rstd;
  }
}

/**
 * dOut [R, w] with the forward's g, s, skip, gain, mean and 1/σ -> dg [R, 2w], dskip [R, w], and the
 * gain and shift gradients [G·w]. Per row, with ŷ the normalised sum and d̂ = dOut·γ:
 * dy = (d̂ − mean(d̂) − ŷ·mean(d̂·ŷ))/σ, dskip = dy, dg = [dy·s, dy·a·s(1−s)] for g = [a, b], s = σ(b).
 */
export function gatedNormBackward(
  v: {
    dy: Float32Array;
    g: Float32Array;
    s: Float32Array;
    skip: Float32Array;
    gamma: Float32Array;
    mean: Float32Array;
    rstd: Float32Array;
  },
  out: { dg: Float32Array; dskip: Float32Array; dgamma: Float32Array; dbeta: Float32Array },
  attrs: GatedNormAttrs,
): void {
  const { width: w, groups } = attrs;
  const rows = v.mean.length;
  const perGroup = rows / groups;
  const { dy, g, skip, gamma } = v;
  const gate = v.s;
  const { dg, dskip } = out;
  // Float64 sums over up to 24,576 rows per group, written to the float32 outputs at the end.
  const dgamma = new Float64Array(groups * w);
  const dbeta = new Float64Array(groups * w);
  for (let r = 0; r < rows; r++) {
    const go = r * 2 * w;
    const yo = r * w;
    const po = Math.floor(r / perGroup) * w;
    const [mean, rstd] = [v.mean[r]!, v.rstd[r]!];
    let sumD = 0;
    let sumDY = 0;
    // First pass: ŷ into dskip, d̂ into dg's first half.
    for (let j = 0; j < w; j++) {
      const s = gate[yo + j]!;
      const yHat = (g[go + j]! * s + skip[yo + j]! - mean) * rstd;
      const d = dy[yo + j]!;
      const dHat = d * gamma[po + j]!;
      dgamma[po + j] = dgamma[po + j]! + d * yHat;
      dbeta[po + j] = dbeta[po + j]! + d;
      sumD += dHat;
      sumDY += dHat * yHat;
      dskip[yo + j] = yHat;
      dg[go + j] = dHat;
    }
    const [meanD, meanDY] = [sumD / w, sumDY / w];
    for (let j = 0; j < w; j++) {
      const d = (dg[go + j]! - meanD - dskip[yo + j]! * meanDY) * rstd;
      const s = gate[yo + j]!;
      dskip[yo + j] = d;
      dg[go + j] = d * s;
      dg[go + w + j] = d * g[go + j]! * s * (1 - s);
    }
  }
  out.dgamma.set(dgamma);
  out.dbeta.set(dbeta);
}

/** The SIMD kernels when `name` is wasm, they loaded and the width suits them; else null. */
const simdFor = (name: NativeBackendName, backend: unknown, width: number): WasmSimd | null =>
  name === 'wasm' && width % 4 === 0 ? wasmSimd(backend) : null;

const forwardKernel =
  (name: NativeBackendName): KernelFunc =>
  ({ inputs, backend, attrs }) => {
    const { g, skip, gamma, beta } = inputs as Record<string, TensorInfo>;
    const a = attrs as unknown as GatedNormAttrs;
    const mem = backendMemory(name, backend);
    const rows = skip!.shape.slice(0, -1).reduce((p, d) => p * d, 1);
    const outs = [
      mem.alloc([...skip!.shape]),
      mem.alloc([rows, a.width]),
      mem.alloc([rows]),
      mem.alloc([rows]),
    ];
    const simd = simdFor(name, backend, a.width);
    if (simd !== null) {
      const [pg, pskip, pgamma, pbeta, y, s, mean, rstd] = heapOffsets(
        backend,
        [g!, skip!, gamma!, beta!, ...outs],
        GATED_NORM_FORWARD,
      );
      const pointers = {
        g: pg!,
        skip: pskip!,
        gamma: pgamma!,
        beta: pbeta!,
        y: y!,
        s: s!,
        mean: mean!,
        rstd: rstd!,
      };
      if (rows > 0)
        simd.kernels.gatedNormForward(pointers, { rows, width: a.width, perGroup: rows / a.groups }, a.eps);
      return outs;
    }
    const views = float32Views(name, backend, [g!, skip!, gamma!, beta!, ...outs], GATED_NORM_FORWARD);
    const [vg, vskip, vgamma, vbeta, y, s, mean, rstd] = views;
    gatedNormForward(
      { g: vg!, skip: vskip!, gamma: vgamma!, beta: vbeta! },
      { y: y!, s: s!, mean: mean!, rstd: rstd! },
      a,
    );
    return outs;
  };

/** The SIMD backward into `outs` (dg, dskip, dgamma, dbeta), with float64 scratch for the sums. */
const simdBackward = (
  simd: WasmSimd,
  backend: unknown,
  ins: TensorInfo[],
  outs: TensorInfo[],
  a: GatedNormAttrs,
): void => {
  const mem = backendMemory('wasm', backend);
  const rows = ins[6]!.shape[0]!;
  // 2·G·w float64 as 4·G·w float32 elements.
  const scratch = mem.alloc([4 * a.groups * a.width]);
  try {
    const [dy, g, s, skip, gamma, mean, rstd, dg, dskip, dgamma, dbeta, acc] = heapOffsets(
      backend,
      [...ins, ...outs, scratch],
      GATED_NORM_BACKWARD,
    );
    const p = { dy: dy!, g: g!, s: s!, skip: skip!, gamma: gamma!, mean: mean!, rstd: rstd! };
    const shape = { rows, width: a.width, perGroup: rows / a.groups };
    if (rows > 0)
      simd.kernels.gatedNormBackward(
        { ...p, dg: dg!, dskip: dskip!, dgamma: dgamma!, dbeta: dbeta!, acc: acc! },
        shape,
      );
    else for (const out of [outs[2]!, outs[3]!]) mem.view(out)?.fill(0);
  } finally {
    (backend as { disposeData(id: object): void }).disposeData(scratch.dataId);
  }
};

const backwardKernel =
  (name: NativeBackendName): KernelFunc =>
  ({ inputs, backend, attrs }) => {
    const { dy, g, s, skip, gamma, mean, rstd } = inputs as Record<string, TensorInfo>;
    const a = attrs as unknown as GatedNormAttrs;
    const mem = backendMemory(name, backend);
    const outs = [
      mem.alloc([...g!.shape]),
      mem.alloc([...skip!.shape]),
      mem.alloc([...gamma!.shape]),
      mem.alloc([...gamma!.shape]),
    ];
    const ins = [dy!, g!, s!, skip!, gamma!, mean!, rstd!];
    const simd = simdFor(name, backend, a.width);
    if (simd !== null) {
      simdBackward(simd, backend, ins, outs, a);
      return outs;
    }
    const views = float32Views(name, backend, [...ins, ...outs], GATED_NORM_BACKWARD);
    const [vdy, vg, vs, vskip, vgamma, vmean, vrstd, dg, dskip, dgamma, dbeta] = views;
    gatedNormBackward(
      { dy: vdy!, g: vg!, s: vs!, skip: vskip!, gamma: vgamma!, mean: vmean!, rstd: vrstd! },
      { dg: dg!, dskip: dskip!, dgamma: dgamma!, dbeta: dbeta! },
      a,
    );
    return outs;
  };

/** Registers both kernels for cpu and wasm (idempotent; registration does not load the backends). */
export const registerGatedNormKernels = registerOnce({
  backends: NATIVE_BACKENDS,
  kernels: (backendName) => ({
    [GATED_NORM_FORWARD]: forwardKernel(backendName),
    [GATED_NORM_BACKWARD]: backwardKernel(backendName),
  }),
});

/** `LayerNorm(GLU(g) + skip)` composed from tf ops and differentiated by the tape (the reference). */
export function gatedAddNormReference<T extends tf.Tensor>(
  g: tf.Tensor,
  skip: T,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  eps: number,
): T {
  return tf.tidy(() => {
    const y = tf.add(glu(g), skip);
    const { mean, variance } = tf.moments(y, y.rank - 1, true);
    const normed = tf.div(tf.sub(y, mean), tf.sqrt(tf.add(variance, eps)));
    return tf.add(tf.mul(normed, gamma), beta) as T;
  });
}

const runKernel = (name: string, inputs: tf.NamedTensorMap, attrs: GatedNormAttrs): tf.Tensor[] =>
  tf.engine().runKernel(name, inputs, attrs as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];

/**
 * g [.., 2w], skip [.., w] -> LayerNorm(GLU(g) + skip) [.., w] with gain and shift [w] (or
 * [G, 1, w] over G equal groups of rows), as one op with its own gradient on cpu and wasm.
 */
export function gatedAddNorm<T extends tf.Tensor>(
  g: tf.Tensor,
  skip: T,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  eps: number,
): T {
  registerGatedNormKernels();
  const width = skip.shape[skip.rank - 1]!;
  if (tf.getKernel(GATED_NORM_FORWARD, tf.getBackend()) === undefined || g.dtype !== 'float32')
    return gatedAddNormReference(g, skip, gamma, beta, eps);
  const attrs: GatedNormAttrs = { width, groups: gamma.size / width, eps };
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const [gIn, skipIn, gammaIn, betaIn] = args as tf.Tensor[];
    // The forward writes the gate σ(b) [rows, w] too, kept for the backward.
    const [out, s, mean, rstd] = runKernel(
      GATED_NORM_FORWARD,
      { g: gIn!, skip: skipIn!, gamma: gammaIn!, beta: betaIn! },
      attrs,
    );
    save([gIn!, s!, skipIn!, gammaIn!, mean!, rstd!]);
    return {
      value: out!,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [gS, sS, skipS, gammaS, meanS, rstdS] = saved;
        return runKernel(
          GATED_NORM_BACKWARD,
          { dy, g: gS!, s: sS!, skip: skipS!, gamma: gammaS!, mean: meanS!, rstd: rstdS! },
          attrs,
        );
      },
    };
  });
  return op(g, skip, gamma, beta) as T;
}
