/**
 * Low-discrepancy sequences: Sobol (Joe–Kuo direction numbers, linear matrix scrambling plus a
 * digital shift when scrambled, as scipy does) and Halton (random digit permutations when
 * scrambled). Point n of either sequence is computed directly, so any worker can take any index.
 */
import { ConfigError } from '@nflab/contracts';
import { Rng } from '@nflab/contracts';

/** Joe–Kuo (new-joe-kuo-6.21201) data for dimensions 2..21: degree s, coefficient bits a, initial m. */
const JOE_KUO: readonly (readonly [s: number, a: number, m: readonly number[]])[] = [
  [1, 0, [1]],
  [2, 1, [1, 3]],
  [3, 1, [1, 3, 1]],
  [3, 2, [1, 1, 1]],
  [4, 1, [1, 1, 3, 3]],
  [4, 4, [1, 3, 5, 13]],
  [5, 2, [1, 1, 5, 5, 17]],
  [5, 4, [1, 1, 5, 5, 5]],
  [5, 7, [1, 1, 7, 11, 19]],
  [5, 11, [1, 1, 5, 1, 1]],
  [5, 13, [1, 1, 1, 3, 11]],
  [5, 14, [1, 3, 5, 5, 31]],
  [6, 1, [1, 3, 3, 9, 7, 49]],
  [6, 13, [1, 1, 1, 15, 21, 21]],
  [6, 16, [1, 3, 1, 13, 27, 49]],
  [6, 19, [1, 1, 1, 15, 7, 5]],
  [6, 22, [1, 3, 1, 15, 13, 25]],
  [6, 25, [1, 1, 5, 5, 19, 61]],
  [7, 1, [1, 3, 7, 11, 23, 15, 103]],
  [7, 4, [1, 3, 7, 13, 13, 15, 69]],
];

/** Largest dimension the Sobol generator supports. */
export const SOBOL_MAX_DIM = JOE_KUO.length + 1;
const BITS = 32;

/** Direction numbers v[1..32] of one dimension, as 32-bit integers (first digit = most significant bit). */
const directionNumbers = (dim: number): Uint32Array => {
  const v = new Uint32Array(BITS);
  if (dim === 0) {
    for (let k = 0; k < BITS; k++) v[k] = (1 << (BITS - 1 - k)) >>> 0;
    return v;
  }
  const [s, a, m0] = JOE_KUO[dim - 1] as (typeof JOE_KUO)[number];
  const m = [...m0];
  for (let k = s; k < BITS; k++) {
    let next = (m[k - s] as number) ^ ((m[k - s] as number) << s);
    for (let j = 1; j < s; j++) if ((a >> (s - 1 - j)) & 1) next ^= (m[k - j] as number) << j;
    m.push(next);
  }
  for (let k = 0; k < BITS; k++) v[k] = ((m[k] as number) * 2 ** (BITS - 1 - k)) >>> 0;
  return v;
};

/** Applies a random lower-triangular binary matrix (unit diagonal) to every direction number. */
const linearScramble = (v: Uint32Array, rng: Rng): Uint32Array => {
  // rows[i] has a 1 at digit i and random bits at digits j < i (digit 0 is the most significant).
  const rows = Array.from({ length: BITS }, (_, i) => {
    const below = i === 0 ? 0 : rng.nextUint32() >>> (BITS - i);
    return ((below << (BITS - i)) | (1 << (BITS - 1 - i))) >>> 0;
  });
  return v.map((x) => {
    let out = 0;
    for (let i = 0; i < BITS; i++) {
      let parity = (rows[i] as number) & x;
      parity ^= parity >>> 16;
      parity ^= parity >>> 8;
      parity ^= parity >>> 4;
      parity ^= parity >>> 2;
      parity ^= parity >>> 1;
      if (parity & 1) out |= 1 << (BITS - 1 - i);
    }
    return out >>> 0;
  });
};

/** A d-dimensional sequence giving point n in [0,1)^d. */
export interface QmcSequence {
  point(n: number): number[];
}

/** Creates a Sobol sequence (scrambled with `seed` when `scramble`). */
export const sobol = (dims: number, scramble: boolean, seed: number): QmcSequence => {
  if (dims > SOBOL_MAX_DIM)
    throw new ConfigError(
      `qmc: Sobol supports at most ${SOBOL_MAX_DIM} dimensions, the space has ${dims}; use qmc_type "halton"`,
    );
  const rng = new Rng(seed, 'sobol');
  const dirs = Array.from({ length: dims }, (_, d) =>
    scramble ? linearScramble(directionNumbers(d), rng) : directionNumbers(d),
  );
  const shift = Array.from({ length: dims }, () => (scramble ? rng.nextUint32() : 0));
  return {
    point(n) {
      return dirs.map((v, d) => {
        let x = shift[d] as number;
        for (let k = 0, m = n; m > 0; k++, m = Math.floor(m / 2)) if (m % 2 === 1) x ^= v[k] as number;
        return (x >>> 0) / 2 ** BITS;
      });
    },
  };
};

const primes = (count: number): number[] => {
  const out: number[] = [];
  for (let p = 2; out.length < count; p++) if (out.every((q) => p % q !== 0)) out.push(p);
  return out;
};

/** Creates a Halton sequence (random digit permutations with `seed` when `scramble`). */
export const halton = (dims: number, scramble: boolean, seed: number): QmcSequence => {
  const rng = new Rng(seed, 'halton');
  const bases = primes(dims);
  const perms = bases.map((b) => {
    const digits = Math.ceil(53 / Math.log2(b));
    return Array.from({ length: digits }, () =>
      scramble ? rng.permutation(b) : Array.from({ length: b }, (_, i) => i),
    );
  });
  return {
    point(n) {
      return bases.map((b, d) => {
        let x = 0;
        let scale = 1 / b;
        let m = n;
        for (const perm of perms[d] as number[][]) {
          x += (perm[m % b] as number) * scale;
          m = Math.floor(m / b);
          scale /= b;
          if (!scramble && m === 0) break;
        }
        return Math.min(x, 1 - Number.EPSILON);
      });
    },
  };
};
