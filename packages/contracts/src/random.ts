/**
 * The lab's one seeded random generator: xoshiro128** (Blackman & Vigna) with its 128-bit state
 * expanded from the seed by splitmix32. Weight initialisation, window sampling, dropout masks,
 * distribution forecasts, synthetic draws and every search sampler draw from it. Only 32-bit integer arithmetic
 * (`Math.imul`, `>>>`) and never `Math.random`, so the same seed gives the same stream on every
 * machine and backend. (Seeded streams changed once, in issue 12, when five generators became this one.)
 */
import { ConfigError } from './errors.js';

/** A seed as users give it: a number or any string (hashed). */
export type Seed = number | string;

const TWO_32 = 2 ** 32;
const TWO_53 = 2 ** 53;

/** One splitmix32 step from `state`: the next state and a well-mixed 32-bit output. */
const splitmix32 = (state: number): { value: number; state: number } => {
  const next = (state + 0x9e3779b9) >>> 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return { value: (z ^ (z >>> 16)) >>> 0, state: next };
};

const fnv1a = (text: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
};

/**
 * Mixes seed parts into one 32-bit seed, so derived streams (per trial, per layer, per step) do not
 * overlap: an FNV-1a hash of the parts as text, then splitmix32's finaliser. Every part counts in
 * full (`2 ** 40` and `0` differ; so do `1` and `'1.5'`).
 */
export const mixSeed = (...parts: readonly Seed[]): number => {
  let h = fnv1a(parts.map(String).join('\u0000'));
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

/** A fresh 32-bit seed from `Math.random`, for callers that gave none (results then differ per call). */
export const randomSeed = (): number => Math.floor(Math.random() * TWO_32);

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

/** A seeded stream of random values; `new Rng(seed, 'part', n)` gives the stream of those parts. */
export class Rng {
  private readonly s = new Uint32Array(4);
  private spareNormal: number | undefined;

  constructor(...seed: readonly Seed[]) {
    let state = mixSeed(...seed);
    for (let i = 0; i < 4; i += 1) {
      const out = splitmix32(state);
      state = out.state;
      this.s[i] = out.value;
    }
    // xoshiro's all-zero state is a fixed point; splitmix32 cannot give four zeros, but be explicit.
    if (((this.s[0] as number) | (this.s[1] as number) | (this.s[2] as number) | (this.s[3] as number)) === 0)
      this.s[0] = 1;
  }

  /** A uniform 32-bit unsigned integer (one xoshiro128** step). */
  nextUint32(): number {
    // The state is a Uint32Array, so every store wraps at 32 bits as the reference algorithm does.
    const s = this.s;
    const s0 = s[0] as number;
    const s1 = s[1] as number;
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = s1 << 9;
    s[2] = (s[2] as number) ^ s0;
    s[3] = (s[3] as number) ^ s1;
    s[1] = s1 ^ s[2];
    s[0] = s0 ^ s[3];
    s[2] = s[2] ^ t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /**
   * Fills `out` with the next `out.length` values of {@link nextUint32}, the state in locals: about
   * five times faster per value than calling it, for bulk draws (dropout masks).
   */
  fillUint32(out: Uint32Array): void {
    const s = this.s;
    let s0 = s[0] as number;
    let s1 = s[1] as number;
    let s2 = s[2] as number;
    let s3 = s[3] as number;
    for (let i = 0; i < out.length; i++) {
      const m = Math.imul(s1, 5);
      out[i] = Math.imul((m << 7) | (m >>> 25), 9); // the store wraps to an unsigned 32-bit value
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
  }

  /**
   * Writes `value` where the next {@link nextUint32} draw is ≥ `threshold` and 0 elsewhere, one
   * draw per element of `out` in order: the draws of {@link fillUint32}, compared as they are made
   * instead of stored and read back (dropout masks: ~30M values per transformer step).
   */
  fillThresholded(out: Float32Array, threshold: number, value: number): void {
    const s = this.s;
    let s0 = s[0] as number;
    let s1 = s[1] as number;
    let s2 = s[2] as number;
    let s3 = s[3] as number;
    for (let i = 0; i < out.length; i++) {
      const m = Math.imul(s1, 5);
      const draw = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
      // Number(bool), not a branch: each outcome is a coin flip no branch predictor learns.
      out[i] = value * Number(draw >= threshold);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
  }

  /** A uniform double in [0, 1) with 53 random bits (two 32-bit draws). */
  next(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / TWO_53;
  }

  /** A uniform double in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** A uniform integer in [0, n), unbiased (rejection sampling); `n` an integer in [1, 2^32]. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > TWO_32) {
      throw new ConfigError(`rng.int(n): n must be an integer in [1, 2^32], got ${String(n)}`);
    }
    // Reject the top sliver of the 32-bit range that would favour small results.
    const limit = TWO_32 - (TWO_32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** A standard normal deviate (Box–Muller; the second value of each pair serves the next call). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const v = this.spareNormal;
      this.spareNormal = undefined;
      return v;
    }
    // 1 - next() is in (0, 1], so the logarithm is finite.
    const r = Math.sqrt(-2 * Math.log(1 - this.next()));
    const theta = 2 * Math.PI * this.next();
    this.spareNormal = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** An index drawn with probability proportional to `weights` (non-negative, not all zero). */
  weighted(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i] as number;
    let u = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i] as number;
      if (u < 0) return i;
    }
    return weights.length - 1;
  }

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): number[] {
    const out = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = out[i] as number;
      out[i] = out[j] as number;
      out[j] = t;
    }
    return out;
  }

  /** `size` indices from 0..n-1: without replacement when n >= size, else with replacement (NeuralForecast's rule). */
  choice(n: number, size: number): number[] {
    if (n >= size) return this.permutation(n).slice(0, size);
    return Array.from({ length: size }, () => this.int(n));
  }
}
