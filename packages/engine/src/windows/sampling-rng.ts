/**
 * The seeded generator behind window and series sampling. It is separate from weight
 * initialisation so changing a model's size never changes which windows a step trains on.
 */

/** A seeded stream of uniform floats in [0, 1) (mulberry32). */
export interface SamplingRng {
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

/** Creates a sampling generator; the same seed gives the same sequence on every machine. */
export const createSamplingRng = (seed: number): SamplingRng => {
  let state = (seed ^ 0x6d2b79f5) >>> 0;
  const next = (): number => {
    // mulberry32: 32-bit state, integer-only arithmetic, so results are identical everywhere.
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { next, int: (n) => Math.floor(next() * n) };
};

/** Fisher–Yates shuffle of 0..n-1. */
export const permutation = (n: number, rng: SamplingRng): number[] => {
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i -= 1) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j] as number, out[i] as number];
  }
  return out;
};

/** `size` indices from 0..n-1: without replacement when n >= size, else with replacement (NeuralForecast's rule). */
export const choice = (n: number, size: number, rng: SamplingRng): number[] => {
  if (n >= size) return permutation(n, rng).slice(0, size);
  return Array.from({ length: size }, () => rng.int(n));
};
