/** Quantiles and forecast column names from `level` or `quantiles`, named as NeuralForecast names them. */

/** Quantiles (fractions) and their column suffixes, in output order. */
export interface QuantileOutputs {
  readonly quantiles: readonly number[];
  readonly names: readonly string[];
}

/** Formats a number as Python's `str(float)` does for these values (80 -> "80.0", 80.5 -> "80.5"). */
function pythonFloat(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/** Drops repeated values, keeping the first of each (NeuralForecast warns and does the same). */
function unique(values: readonly number[]): number[] {
  return [...new Set(values)];
}

/**
 * From levels: the median first, then each level's lower and upper quantile sorted ascending,
 * named `-median`, `-lo-<level>`, `-hi-<level>` (level [80, 90] -> 0.5, 0.05, 0.1, 0.9, 0.95).
 */
export function levelToOutputs(level: readonly number[]): QuantileOutputs {
  const pairs = unique(level).flatMap((l) => [
    { q: 50 - l / 2, name: `-lo-${String(l)}` },
    { q: 50 + l / 2, name: `-hi-${String(l)}` },
  ]);
  pairs.sort((a, b) => a.q - b.q);
  return {
    quantiles: [0.5, ...pairs.map((p) => p.q / 100)],
    names: ['-median', ...pairs.map((p) => p.name)],
  };
}

/**
 * From quantiles, in the given order: q < 0.5 -> `-lo-<100 - 200q>`, q > 0.5 -> `-hi-<100 - 200(1 - q)>`,
 * 0.5 -> `-median`; levels are rounded to 2 decimals and printed as Python floats (`-lo-80.0`).
 */
export function quantilesToOutputs(quantiles: readonly number[]): QuantileOutputs {
  const qs = unique(quantiles);
  const names = qs.map((q) => {
    if (q < 0.5) return `-lo-${pythonFloat(Math.round((100 - 200 * q) * 100) / 100)}`;
    if (q > 0.5) return `-hi-${pythonFloat(Math.round((100 - 200 * (1 - q)) * 100) / 100)}`;
    return '-median';
  });
  return { quantiles: qs, names };
}

/** Index of the quantile nearest the median (the first on ties): the point forecast column. */
export function medianIndex(quantiles: readonly number[]): number {
  let best = 0;
  quantiles.forEach((q, i) => {
    if (Math.abs(q - 0.5) < Math.abs((quantiles[best] as number) - 0.5)) best = i;
  });
  return best;
}
