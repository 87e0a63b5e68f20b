/**
 * `ELU(z + bias)` as one op with its own gradient, for TFT's GRNs (their default activation): z is
 * the first layer's product, the bias its bias — per group of rows: the stacked GRNs' [n, 1, w]
 * biases, or [B, 1, w] when a GRN's context term is folded into it. The backward is one pass, the
 * ELU's gradient and the bias gradient together, from the output alone (ELU'(v) = 1 for v > 0,
 * e^v = y + 1 otherwise), where the tape ran EluGrad and Sum — two passes over [rows, w], 6.3M
 * values in the yardstick's history selection.
 *
 * The forward stays TensorFlow.js' Add and Elu: wasm's Elu (XNNPACK) ran twice as fast as a pass
 * with kernels.wat's exp. The backward runs as kernels.wat's `eluBackward` on wasm with SIMD when w
 * is a multiple of 4, as the JavaScript loop below on cpu and otherwise.
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

export const BIAS_ELU_BACKWARD = 'NflabBiasEluBackward';

/** The kernel's attributes: rows fall into `groups` equal runs of consecutive rows, run g adding bias row g. */
interface BiasEluAttrs {
  readonly groups: number;
  /** Whether the op has a bias input. */
  readonly withBias: boolean;
}

/** dy and y [R, w] -> dz = dy·(y > 0 ? 1 : y + 1) and, when asked, the bias gradient [G, w] (float64 sums). */
export function biasEluBackward(
  v: { dy: Float32Array; y: Float32Array },
  out: { dz: Float32Array; dbias: Float32Array | null },
  groups: number,
): void {
  const { dy, y } = v;
  const { dz, dbias } = out;
  for (let i = 0; i < dz.length; i++) dz[i] = y[i]! > 0 ? dy[i]! : dy[i]! * (y[i]! + 1);
  if (!dbias) return;
  const w = dbias.length / groups;
  const rows = dz.length / w;
  const perGroup = rows / groups;
  const sums = new Float64Array(dbias.length);
  for (let r = 0; r < rows; r++) {
    const bo = Math.floor(r / perGroup) * w;
    for (let j = 0, i = r * w; j < w; j++, i++) sums[bo + j] = sums[bo + j]! + dz[i]!;
  }
  dbias.set(sums);
}

/** The SIMD kernels when `name` is wasm, they loaded and the width suits them; else null. */
const simdFor = (name: NativeBackendName, backend: unknown, width: number): WasmSimd | null =>
  name === 'wasm' && width % 4 === 0 ? wasmSimd(backend) : null;

const widthOf = (info: TensorInfo): number => info.shape[info.shape.length - 1] ?? 1;

const backwardKernel =
  (name: NativeBackendName): KernelFunc =>
  ({ inputs, backend, attrs }) => {
    const { dy, y } = inputs as Record<string, TensorInfo>;
    const { groups, withBias } = attrs as unknown as BiasEluAttrs;
    const mem = backendMemory(name, backend);
    const width = widthOf(y!);
    const rows = y!.shape.reduce((p, d) => p * d, 1) / width;
    const outs = [mem.alloc([...y!.shape]), ...(withBias ? [mem.alloc([groups, width])] : [])];
    const simd = simdFor(name, backend, width);
    if (simd !== null) {
      const [pdy, py, pdz, pbias] = heapOffsets(backend, [dy!, y!, ...outs], BIAS_ELU_BACKWARD);
      if (rows > 0)
        simd.kernels.eluBackward(pdy!, py!, pdz!, { rows, cols: width, perGroup: rows / groups }, pbias ?? 0);
      else if (withBias) mem.view(outs[1]!)?.fill(0);
      return outs;
    }
    const [vdy, vy, vdz, vbias] = float32Views(name, backend, [dy!, y!, ...outs], BIAS_ELU_BACKWARD);
    biasEluBackward({ dy: vdy!, y: vy! }, { dz: vdz!, dbias: vbias ?? null }, groups);
    return outs;
  };

/** Registers the backward kernel for cpu and wasm (idempotent; registration does not load the backends). */
export const registerBiasEluKernels = registerOnce({
  backends: NATIVE_BACKENDS,
  kernels: (backendName) => ({ [BIAS_ELU_BACKWARD]: backwardKernel(backendName) }),
});

let fused = true;

/** Whether {@link biasElu} runs as the one op (else the tf-op composition; A/B switch for benches). @default true */
export const setFusedBiasElu = (on: boolean): void => {
  fused = on;
};

/** `ELU(z + bias)` composed from tf ops, `bias` [G, 1, w] over G equal groups of z's rows (the reference). */
export function biasEluReference<T extends tf.Tensor>(z: T, bias?: tf.Tensor): T {
  return tf.tidy(() => {
    if (!bias) return tf.elu(z);
    const groups = bias.size / widthOf(bias);
    const w = widthOf(z);
    // [R, w] as [G, R/G, w] plus [G, 1, w].
    const grouped = tf.reshape(z, [groups, -1, w]);
    return tf.reshape(tf.elu(tf.add(grouped, tf.reshape(bias, [groups, 1, w]))), z.shape) as T;
  });
}

const runKernel = (name: string, inputs: tf.NamedTensorMap, attrs: BiasEluAttrs): tf.Tensor[] => {
  const out = tf.engine().runKernel(name, inputs, attrs as unknown as tf.NamedAttrMap) as
    tf.Tensor | tf.Tensor[];
  return Array.isArray(out) ? out : [out];
};

/**
 * z [.., w] -> ELU(z + bias) [.., w], the bias [w] (one group), [G, 1, w] or [G, w] (z's rows in
 * G equal consecutive groups) or absent; one op with its own gradient on cpu and wasm.
 */
export function biasElu<T extends tf.Tensor>(z: T, bias?: tf.Tensor): T {
  registerBiasEluKernels();
  if (!fused || tf.getKernel(BIAS_ELU_BACKWARD, tf.getBackend()) === undefined || z.dtype !== 'float32')
    return biasEluReference(z, bias);
  const attrs: BiasEluAttrs = { groups: bias ? bias.size / widthOf(bias) : 1, withBias: bias !== undefined };
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const [zIn, biasIn] = args as tf.Tensor[];
    const y = biasEluReference(zIn!, biasIn);
    save([y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, [yS]: tf.Tensor[]) => {
        const [dz, dbias] = runKernel(BIAS_ELU_BACKWARD, { dy, y: yS! }, attrs);
        return biasIn ? [dz!, tf.reshape(dbias!, biasIn.shape)] : [dz!];
      },
    };
  });
  return (bias ? op(z, bias) : op(z)) as T;
}
