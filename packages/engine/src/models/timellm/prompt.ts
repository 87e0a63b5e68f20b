/**
 * TimeLLM's text prompt, built per window as NeuralForecast's `TimeLLM.forecast` builds it: the
 * dataset description, the task, and the normalised window's min, max, median, trend and top-k
 * autocorrelation lags, with numbers printed as Python prints them (`str(float)`, `str(list)`).
 */

/** Python's `repr`/`str` of a float: shortest round-trip digits, `.0` on integers, exponent form below 1e-4 and from 1e16. */
export function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // toExponential() gives the shortest digits that round-trip, as Python's repr.
  const [mantissa = '', exp = '0'] = x.toExponential().split('e');
  const e = Number(exp);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  if (e < -4 || e >= 16) {
    const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${body}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  const whole = digits.slice(0, e + 1).padEnd(e + 1, '0');
  const fraction = digits.slice(e + 1);
  return `${sign}${whole}.${fraction.length > 0 ? fraction : '0'}`;
}

/** `torch.median`: the lower of the two middle values for an even count. */
export function lowerMedian(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[(sorted.length - 1) >> 1] as number;
}

/**
 * NeuralForecast's `calcute_lags`: the circular autocorrelation r[τ] = Σ_t x[t]·x[(t+τ) mod T]
 * (its rfft · conj(rfft) · irfft, computed directly here) and the `topK` lags with the largest r,
 * largest first. r[τ] = r[T−τ], so ties are the rule: the smaller lag comes first.
 */
export function topLags(x: ArrayLike<number>, topK: number): number[] {
  const T = x.length;
  const r = Array.from({ length: T }, (_, tau) => {
    let sum = 0;
    for (let t = 0; t < T; t += 1) sum += (x[t] as number) * (x[(t + tau) % T] as number);
    return sum;
  });
  // Equal up to rounding: compare at float32 precision, as torch computes in float32.
  const key = (tau: number): number => Math.fround(r[tau] as number);
  return Array.from({ length: T }, (_, tau) => tau)
    .sort((a, b) => key(b) - key(a) || a - b)
    .slice(0, topK);
}

/** What the prompt says besides the window's statistics. */
export interface PromptContext {
  /** `prompt_prefix`; null prints as Python's `None`, as NeuralForecast's f-string does. */
  readonly prefix: string | null;
  readonly h: number;
  readonly inputSize: number;
  readonly topK: number;
}

/** The prompt of one normalised window `x` (its L values). */
export function buildPrompt(x: ArrayLike<number>, context: PromptContext): string {
  let min = Infinity;
  let max = -Infinity;
  let trend = 0;
  for (let t = 0; t < x.length; t += 1) {
    const v = x[t] as number;
    if (v < min) min = v;
    if (v > max) max = v;
    if (t > 0) trend += v - (x[t - 1] as number);
  }
  const lags = topLags(x, context.topK);
  // NeuralForecast prints "top 5 lags" whatever top_k is, and its end marker really reads <|<end_prompt>|>.
  return (
    `<|start_prompt|>${context.prefix ?? 'None'}` +
    `Task description: forecast the next ${context.h} steps given the previous ${context.inputSize} steps information; ` +
    'Input statistics: ' +
    `min value ${pythonFloat(min)}, ` +
    `max value ${pythonFloat(max)}, ` +
    `median value ${pythonFloat(lowerMedian(x))}, ` +
    `the trend of input is ${trend > 0 ? 'upward' : 'downward'}, ` +
    `top 5 lags are : [${lags.join(', ')}]<|<end_prompt>|>`
  );
}
