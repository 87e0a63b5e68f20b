/** Fused activations of tfjs' `_FusedMatMul` that the native path applies itself. */
export const NATIVE_ACTIVATIONS = [
  'linear',
  'relu',
  'relu6',
  'elu',
  'sigmoid',
  'leakyrelu',
  'prelu',
] as const;
/** A fused activation handled natively; anything else falls back to the reference kernel. */
export type NativeActivation = (typeof NATIVE_ACTIVATIONS)[number];

/** How a bias or prelu-weight tensor broadcasts over an [.., M, N] output. */
export type RowBroadcast = 'scalar' | 'row';

/** 'scalar' for one element, 'row' for a vector along N (leading dims all 1), else null. */
export function rowBroadcast(shape: readonly number[], n: number): RowBroadcast | null {
  const total = shape.reduce((p, d) => p * d, 1);
  if (total === 1) return 'scalar';
  const leadingOnes = shape.slice(0, -1).every((d) => d === 1);
  return leadingOnes && shape[shape.length - 1] === n ? 'row' : null;
}

/** Whether tfjs' activation name is one the native epilogue implements. */
export function isNativeActivation(name: string): name is NativeActivation {
  return (NATIVE_ACTIVATIONS as readonly string[]).includes(name);
}

/** Fills C with the bias repeated per row so that sgemm with beta = 1 adds the product onto it. */
export function fillBias(c: Float32Array, bias: Float32Array, mode: RowBroadcast): void {
  if (mode === 'scalar') {
    c.fill(bias[0] ?? 0);
    return;
  }
  // One row, then copies that double the filled prefix: log2(rows) calls instead of one set() per
  // row, whose fixed cost dominated at 512 columns.
  c.set(bias.subarray(0, Math.min(bias.length, c.length)));
  for (let filled = bias.length; filled < c.length; filled *= 2) {
    c.copyWithin(filled, 0, Math.min(filled, c.length - filled));
  }
}

/** The activation's parameters: leaky-relu slope and prelu weights with their broadcast. */
export interface ActivationParams {
  alpha: number;
  weights: Float32Array | null;
  weightsMode: RowBroadcast | null;
}

/** Applies the activation to C in place, with the same formulas as tfjs' reference kernels. */
export function applyActivation(
  c: Float32Array,
  activation: NativeActivation,
  params: ActivationParams,
): void {
  const len = c.length;
  switch (activation) {
    case 'linear':
      return;
    case 'relu':
      for (let i = 0; i < len; i++) if (c[i]! < 0) c[i] = 0;
      return;
    case 'relu6':
      for (let i = 0; i < len; i++) c[i] = Math.min(Math.max(c[i]!, 0), 6);
      return;
    case 'elu':
      for (let i = 0; i < len; i++) if (c[i]! < 0) c[i] = Math.exp(c[i]!) - 1;
      return;
    case 'sigmoid':
      for (let i = 0; i < len; i++) c[i] = 1 / (1 + Math.exp(-c[i]!));
      return;
    case 'leakyrelu':
      for (let i = 0; i < len; i++) if (c[i]! < 0) c[i] = params.alpha * c[i]!;
      return;
    case 'prelu': {
      const w = params.weights;
      if (w === null) return;
      const n = params.weightsMode === 'scalar' ? 1 : w.length;
      for (let i = 0; i < len; i++) if (c[i]! < 0) c[i] = w[i % n]! * c[i]!;
      return;
    }
  }
}
