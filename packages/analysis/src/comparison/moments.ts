/** Mean and sample variance (n − 1) by two passes, so large offsets do not cancel digits; NaN variance for n < 2. */
export function meanAndVariance(values: readonly number[]): { mean: number; variance: number } {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) * (v - mean);
  return { mean, variance: values.length > 1 ? squares / (values.length - 1) : Number.NaN };
}
