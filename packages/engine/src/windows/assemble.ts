/**
 * Turns window references into the dense tensors a model and a loss read (before window scaling).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { WindowRef, WindowShape } from './refs.js';
import type { WindowSource } from './source.js';

/** Unscaled tensors of a batch of windows. B windows, L input, H horizon. */
export interface RawWindows {
  /** [B, L, 1] */
  readonly insampleY: tf.Tensor3D;
  /** [B, L, 1] */
  readonly insampleMask: tf.Tensor3D;
  /** [B, H, 1] targets of the horizon (0 where padding). */
  readonly outsampleY: tf.Tensor3D;
  /** [B, H, 1] */
  readonly outsampleMask: tf.Tensor3D;
  /** [B, L+H, F] when F > 0. */
  readonly futrExog?: tf.Tensor3D;
  /** [B, L, X] when X > 0. */
  readonly histExog?: tf.Tensor3D;
  /** [B, S] when S > 0. */
  readonly statExog?: tf.Tensor2D;
}

/** Plain-array form of {@link RawWindows}, for tests and for code that needs no tensors. */
export interface WindowArrays {
  readonly insampleY: Float32Array;
  readonly insampleMask: Float32Array;
  readonly outsampleY: Float32Array;
  readonly outsampleMask: Float32Array;
  readonly futrExog: Float32Array;
  readonly histExog: Float32Array;
  readonly statExog: Float32Array;
  readonly sizes: { readonly b: number; readonly f: number; readonly x: number; readonly s: number };
}

const read = (values: Float64Array, t: number, limit: number): number =>
  t >= 0 && t < limit ? (values[t] ?? 0) : 0;

/** Copies the windows' values into flat float32 arrays (row-major [B, T, C]). */
export const windowArrays = (
  sources: readonly WindowSource[],
  refs: readonly WindowRef[],
  shape: WindowShape,
): WindowArrays => {
  const { inputSize: L, h: H } = shape;
  const b = refs.length;
  const first = sources[0];
  const f = first?.futr.length ?? 0;
  const x = first?.hist.length ?? 0;
  const s = first?.stat.length ?? 0;
  const out = {
    insampleY: new Float32Array(b * L),
    insampleMask: new Float32Array(b * L),
    outsampleY: new Float32Array(b * H),
    outsampleMask: new Float32Array(b * H),
    futrExog: new Float32Array(b * (L + H) * f),
    histExog: new Float32Array(b * L * x),
    statExog: new Float32Array(b * s),
  };
  refs.forEach((ref, i) => {
    const source = sources[ref.series] as WindowSource;
    for (let k = 0; k < L + H; k += 1) {
      const t = ref.start + k;
      const y = read(source.y, t, ref.limit);
      const m = read(source.mask, t, ref.limit);
      if (k < L) {
        out.insampleY[i * L + k] = y;
        out.insampleMask[i * L + k] = m;
        for (let c = 0; c < x; c += 1)
          out.histExog[(i * L + k) * x + c] = read(source.hist[c] as Float64Array, t, ref.limit);
      } else {
        out.outsampleY[i * H + k - L] = y;
        out.outsampleMask[i * H + k - L] = m;
      }
      for (let c = 0; c < f; c += 1)
        out.futrExog[(i * (L + H) + k) * f + c] = read(source.futr[c] as Float64Array, t, ref.limit);
    }
    for (let c = 0; c < s; c += 1) out.statExog[i * s + c] = source.stat[c] as number;
  });
  return { ...out, sizes: { b, f, x, s } };
};

/** Builds the tensors of a batch of windows; the caller disposes them (see {@link disposeWindows}). */
export const assembleWindows = (
  sources: readonly WindowSource[],
  refs: readonly WindowRef[],
  shape: WindowShape,
): RawWindows => {
  const { inputSize: L, h: H } = shape;
  const a = windowArrays(sources, refs, shape);
  const { b, f, x, s } = a.sizes;
  return {
    insampleY: tf.tensor3d(a.insampleY, [b, L, 1]),
    insampleMask: tf.tensor3d(a.insampleMask, [b, L, 1]),
    outsampleY: tf.tensor3d(a.outsampleY, [b, H, 1]),
    outsampleMask: tf.tensor3d(a.outsampleMask, [b, H, 1]),
    ...(f > 0 ? { futrExog: tf.tensor3d(a.futrExog, [b, L + H, f]) } : {}),
    ...(x > 0 ? { histExog: tf.tensor3d(a.histExog, [b, L, x]) } : {}),
    ...(s > 0 ? { statExog: tf.tensor2d(a.statExog, [b, s]) } : {}),
  };
};

/** Frees every tensor of a window batch. */
export const disposeWindows = (windows: RawWindows): void => {
  tf.dispose([windows.insampleY, windows.insampleMask, windows.outsampleY, windows.outsampleMask]);
  if (windows.futrExog) windows.futrExog.dispose();
  if (windows.histExog) windows.histExog.dispose();
  if (windows.statExog) windows.statExog.dispose();
};
