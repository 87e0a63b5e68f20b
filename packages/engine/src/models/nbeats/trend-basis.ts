/**
 * Trend bases of N-BEATS's trend stack (NeuralForecast v3's `basis` option). Each returns a
 * row-major [count, length] matrix: `count` functions sampled at `length` points.
 */

/** Trend basis families, by NeuralForecast's names. */
export const TREND_BASES = [
  'polynomial',
  'legendre',
  'changepoint',
  'piecewise_linear',
  'linear_hat',
  'spline',
  'chebyshev',
] as const;

/** One of {@link TREND_BASES}. */
export type TrendBasisKind = (typeof TREND_BASES)[number];

/** `count` evenly spaced points from `a` to `b` inclusive (numpy's linspace). */
function linspace(a: number, b: number, count: number): number[] {
  if (count === 1) return [a];
  return Array.from({ length: count }, (_, i) => a + ((b - a) * i) / (count - 1));
}

/** Values of the three-term recurrence `p_{n+1} = f(n, x, p_n, p_{n-1})` started at 1 and x. */
function recurrence(x: number, count: number, next: (n: number, p1: number, p0: number) => number): number[] {
  const values = [1, x];
  for (let n = 1; values.length < count; n += 1)
    values.push(next(n, values[n] as number, values[n - 1] as number));
  return values.slice(0, count);
}

/** Cubic B-spline basis on clamped knots; the right end belongs to the last interval as in scipy's BSpline. */
function bsplineBasis(knots: readonly number[], degree: number, x: number, count: number): number[] {
  const t = knots;
  // Clamped knots: the last non-degenerate interval starts at index count - 1.
  const lastInterval = count - 1;
  let n: number[] = t.slice(0, -1).map((ti, i) => {
    const tNext = t[i + 1] as number;
    const inside = ti <= x && x < tNext;
    const atEnd = x === t[t.length - 1] && i === lastInterval;
    return inside || atEnd ? 1 : 0;
  });
  for (let d = 1; d <= degree; d += 1) {
    n = n.slice(0, -1).map((_, i) => {
      const left = (t[i + d] as number) - (t[i] as number);
      const right = (t[i + d + 1] as number) - (t[i + 1] as number);
      const a = left > 0 ? ((x - (t[i] as number)) / left) * (n[i] as number) : 0;
      const b = right > 0 ? (((t[i + d + 1] as number) - x) / right) * (n[i + 1] as number) : 0;
      return a + b;
    });
  }
  return n.slice(0, count);
}

/** Samples `count` functions of `kind` at `length` points: [count, length] row-major. */
export function trendBasis(kind: TrendBasisKind, length: number, count: number): Float32Array {
  const out = new Float32Array(count * length);
  const set = (p: number, t: number, v: number): void => {
    out[p * length + t] = v;
  };
  const x01 = linspace(0, 1, length);
  const xSym = linspace(-1, 1, length);
  for (let t = 0; t < length; t += 1) {
    const u = x01[t] as number;
    const s = xSym[t] as number;
    let column: number[];
    switch (kind) {
      case 'polynomial':
        column = Array.from({ length: count }, (_, p) => (t / length) ** p);
        break;
      case 'legendre':
        column = recurrence(s, count, (n, p1, p0) => ((2 * n + 1) * s * p1 - n * p0) / (n + 1));
        break;
      case 'chebyshev':
        column = recurrence(s, count, (_n, p1, p0) => 2 * s * p1 - p0);
        break;
      case 'changepoint': {
        const points = linspace(0, 1, count + 1).slice(1);
        column = points.map((c) => Math.max(0, u - c));
        break;
      }
      case 'piecewise_linear': {
        const k = linspace(0, 1, count + 1);
        // The first function stays zero, as in the reference.
        column = Array.from({ length: count }, (_, i) => {
          if (i === 0) return 0;
          const up = (u - (k[i - 1] as number)) / ((k[i] as number) - (k[i - 1] as number));
          const down = ((k[i + 1] as number) - u) / ((k[i + 1] as number) - (k[i] as number));
          return Math.max(0, Math.min(up, down));
        });
        break;
      }
      case 'linear_hat': {
        const width = 1 / (count - 1);
        column = linspace(0, 1, count).map((c) => Math.max(0, 1 - Math.abs(u - c) / width));
        break;
      }
      case 'spline': {
        const inner = linspace(0, 1, count - 2);
        column = bsplineBasis([0, 0, 0, ...inner, 1, 1, 1], 3, u, count);
        break;
      }
    }
    column.forEach((v, p) => set(p, t, v));
  }
  return out;
}

/** Smallest `n_basis` each family needs (the functions used are `n_basis + 1`). */
export const MIN_N_BASIS: Readonly<Record<TrendBasisKind, number>> = {
  polynomial: 0,
  legendre: 0,
  changepoint: 0,
  piecewise_linear: 0,
  chebyshev: 0,
  linear_hat: 1, // needs two centres for a finite width
  spline: 3, // a cubic B-spline basis needs at least four functions
};
