/**
 * NHITS forecast interpolation from n knots to H steps, as PyTorch's `F.interpolate` with
 * `align_corners=False`. Each mode is a fixed linear map, so it is precomputed as a matrix [n, H]
 * and applied with one matMul (cheap, and differentiable with no custom gradient).
 */

/** Interpolation modes NHITS accepts. `cubic` is PyTorch's bicubic (A = -0.75) along the time axis. */
export const INTERPOLATION_MODES = ['linear', 'nearest', 'cubic'] as const;

/** One of {@link INTERPOLATION_MODES}. */
export type InterpolationMode = (typeof INTERPOLATION_MODES)[number];

/** Cubic convolution coefficient for |x| <= 1 (Keys, A = -0.75 as PyTorch). */
function cubic1(x: number, a: number): number {
  return ((a + 2) * x - (a + 3)) * x * x + 1;
}

/** Cubic convolution coefficient for 1 < |x| < 2. */
function cubic2(x: number, a: number): number {
  return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
}

/** Row-major [inSize, outSize] matrix M with `forecast = knots · M`. */
export function interpolationMatrix(mode: InterpolationMode, inSize: number, outSize: number): Float32Array {
  const m = new Float32Array(inSize * outSize);
  const scale = inSize / outSize;
  const add = (i: number, j: number, w: number): void => {
    const k = Math.min(Math.max(i, 0), inSize - 1) * outSize + j;
    m[k] = (m[k] as number) + w;
  };
  for (let j = 0; j < outSize; j += 1) {
    if (mode === 'nearest') {
      add(Math.min(Math.floor(j * scale), inSize - 1), j, 1);
    } else if (mode === 'linear') {
      const src = Math.max(scale * (j + 0.5) - 0.5, 0);
      const i0 = Math.floor(src);
      const i1 = i0 < inSize - 1 ? i0 + 1 : i0;
      const l1 = src - i0;
      add(i0, j, 1 - l1);
      add(i1, j, l1);
    } else {
      // Bicubic source index is not clamped at 0; out-of-range neighbours read the border value.
      const src = scale * (j + 0.5) - 0.5;
      const i0 = Math.floor(src);
      const t = src - i0;
      const a = -0.75;
      add(i0 - 1, j, cubic2(t + 1, a));
      add(i0, j, cubic1(t, a));
      add(i0 + 1, j, cubic1(1 - t, a));
      add(i0 + 2, j, cubic2(2 - t, a));
    }
  }
  return m;
}
