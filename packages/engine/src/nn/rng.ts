/**
 * Deterministic pseudo-random numbers for weight initialisation and dropout seeds. Math.random is
 * never used: the same seed must rebuild the same network on every machine and backend.
 */

/** A seeded stream of uniform numbers (xoshiro128** seeded through splitmix32). */
export interface Rng {
  /** Next float in [0, 1). */
  next(): number;
  /** Next float in [low, high). */
  uniform(low: number, high: number): number;
  /** Next unsigned 32-bit integer. */
  nextUint32(): number;
}

/** One splitmix32 step: spreads a 32-bit state into a well-mixed 32-bit output. */
function splitmix32(state: number): { value: number; state: number } {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return { value: z >>> 0, state: next };
}

/** Mixes a seed and a salt into a new 32-bit seed, so derived streams (per layer, per step) do not overlap. */
export function mixSeed(seed: number, salt: number): number {
  // Math.imul keeps everything in 32-bit integer space; non-integer seeds are truncated on purpose.
  let h = Math.imul((seed | 0) ^ 0x27d4eb2f, 0x165667b1) ^ Math.imul(salt | 0, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca77);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae3d);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Creates a seeded generator; the same seed always yields the same sequence. */
export function createRng(seed: number): Rng {
  let sm = seed | 0;
  const s = new Uint32Array(4);
  for (let i = 0; i < 4; i += 1) {
    const out = splitmix32(sm);
    sm = out.state;
    s[i] = out.value;
  }
  const nextUint32 = (): number => {
    // xoshiro128**: fast, 2^128-1 period, passes BigCrush; state lives in a Uint32Array so the
    // arithmetic wraps at 32 bits exactly as the reference algorithm does.
    const s0 = s[0] as number;
    const s1 = s[1] as number;
    const s2 = s[2] as number;
    const s3 = s[3] as number;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s[2] = s2 ^ s0;
    s[3] = s3 ^ s1;
    s[1] = s1 ^ (s[2] as number);
    s[0] = s0 ^ (s[3] as number);
    s[2] = (s[2] as number) ^ t;
    s[3] = rotl(s[3] as number, 11);
    return r;
  };
  const next = (): number => nextUint32() / 4294967296;
  return { next, nextUint32, uniform: (low, high) => low + (high - low) * next() };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
