/**
 * A small seeded pseudo-random generator for synthetic data: xoshiro128** (Blackman & Vigna) with
 * its 128-bit state expanded from the seed by splitmix32. Same seed, same stream, on every platform,
 * because it uses only 32-bit integer arithmetic (`Math.imul`, `>>>`) and never `Math.random`.
 */
import { ConfigError } from '@nflab/contracts';

/** A deterministic stream of random values. */
export interface Rng {
  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** A uniform float in [0, 1). */
  next(): number;
  /** A uniform integer in [0, n); unbiased (rejection sampling), `n` a positive integer below 2^32. */
  int(n: number): number;
  /** A standard normal deviate (Box–Muller). */
  normal(): number;
  /** A Poisson deviate with the given mean (≥ 0). */
  poisson(mean: number): number;
}

const TWO_32 = 2 ** 32;

// Above this mean the normal approximation N(mean, mean) is used: Knuth's product method needs
// ~mean uniforms per deviate and exp(-mean) underflows long before prize tiers' means (~10^5).
const POISSON_NORMAL_ABOVE = 30;

const splitmix32 = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
};

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

/** Creates a generator from an integer seed (any safe integer, negative included). */
export const createRng = (seed: number): Rng => {
  if (!Number.isSafeInteger(seed)) {
    throw new ConfigError(`seed must be a safe integer, got ${String(seed)}`);
  }
  // Fold the high bits in so seeds that differ only above bit 32 still give different streams.
  const high = Math.floor(seed / TWO_32) >>> 0;
  const expand = splitmix32((seed >>> 0) ^ Math.imul(high, 0x27d4eb2d));
  const s = [expand(), expand(), expand(), expand()] as [number, number, number, number];
  // xoshiro's all-zero state is a fixed point; splitmix32 cannot produce four zeros, but be explicit.
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] = (s[2] ^ s[0]) >>> 0;
    s[3] = (s[3] ^ s[1]) >>> 0;
    s[1] = (s[1] ^ s[2]) >>> 0;
    s[0] = (s[0] ^ s[3]) >>> 0;
    s[2] = (s[2] ^ t) >>> 0;
    s[3] = rotl(s[3], 11);
    return result;
  };
  const next = (): number => nextUint32() / TWO_32;

  const int = (n: number): number => {
    if (!Number.isInteger(n) || n <= 0 || n > TWO_32) {
      throw new ConfigError(`rng.int(n): n must be an integer in [1, 2^32], got ${String(n)}`);
    }
    // Reject the top sliver of the 32-bit range that would favour small results.
    const limit = TWO_32 - (TWO_32 % n);
    for (;;) {
      const x = nextUint32();
      if (x < limit) return x % n;
    }
  };

  const normal = (): number => {
    // 1 - next() is in (0, 1], so the logarithm is finite.
    const u = 1 - next();
    const v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };

  const poisson = (mean: number): number => {
    if (!(mean >= 0) || !Number.isFinite(mean)) {
      throw new ConfigError(`rng.poisson(mean): mean must be a finite number ≥ 0, got ${String(mean)}`);
    }
    if (mean === 0) return 0;
    if (mean > POISSON_NORMAL_ABOVE) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal()));
    const floor = Math.exp(-mean);
    let k = 0;
    let product = next();
    while (product > floor) {
      k += 1;
      product *= next();
    }
    return k;
  };

  return { nextUint32, next, int, normal, poisson };
};
