/** Fourier templates of N-BEATS's seasonality stack. */

/**
 * Frequencies 0, then `n_harmonics/n_harmonics, (n_harmonics+1)/n_harmonics, …` below
 * `h/2` (numpy's `arange(n_harmonics, n_harmonics/2*h) / n_harmonics`).
 */
export function seasonalityFrequencies(nHarmonics: number, h: number): number[] {
  const stop = (nHarmonics / 2) * h;
  const count = Math.max(Math.ceil(stop - nHarmonics), 0);
  return [0, ...Array.from({ length: count }, (_, i) => (nHarmonics + i) / nHarmonics)];
}

/**
 * [2F, length] row-major: cos rows then sin rows of `sign·2π·t/h·f`. The backcast uses sign -1
 * over the input window (which the stack sees newest-first), the forecast sign +1 over the horizon.
 */
export function seasonalityTemplate(options: {
  frequencies: readonly number[];
  length: number;
  h: number;
  sign: 1 | -1;
}): Float32Array {
  const { frequencies, length, h, sign } = options;
  const F = frequencies.length;
  const out = new Float32Array(2 * F * length);
  frequencies.forEach((f, k) => {
    for (let t = 0; t < length; t += 1) {
      const angle = sign * 2 * Math.PI * (t / h) * f;
      out[k * length + t] = Math.cos(angle);
      out[(F + k) * length + t] = Math.sin(angle);
    }
  });
  return out;
}
