/**
 * Which coalitions KernelSHAP evaluates and with what weight, following shap 0.51's
 * `KernelExplainer.explain`: subset sizes are taken in pairs (s and M − s) from the outside in;
 * a pair is enumerated in full while the remaining budget covers it at its Shapley-kernel share,
 * and the rest of the budget is drawn at random with the kernel's size distribution, each draw
 * followed by its complement, repeated draws adding weight instead of rows.
 */
import type { Rng } from '@nflab/contracts';

/** The coalitions to evaluate: a 0/1 mask over the M players and a regression weight for each. */
export interface CoalitionPlan {
  /** One mask per coalition; 1 = the player takes the query's value. */
  readonly masks: Uint8Array[];
  /** Kernel weight per coalition (shap's `kernelWeights`), summing to 1. */
  readonly weights: Float64Array;
  /** shap's `nsamples` after capping at 2^M − 2: the size of its mask matrix, unused rows included. */
  readonly allocated: number;
  /** Coalitions from fully enumerated subset sizes (the first ones in `masks`). */
  readonly enumerated: number;
  /** True when every coalition other than the empty and the full one is in `masks`. */
  readonly complete: boolean;
}

/** C(n, k) in floating point (as scipy.special.binom); each partial product is an exact integer while below 2^53. */
export function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return result;
}

/** shap's budget: 2^M − 2 coalitions exist for M ≤ 30; beyond that it uses 2^30. */
export function maxCoalitions(m: number): number {
  return m <= 30 ? 2 ** m - 2 : 2 ** 30;
}

/** Calls `visit` with every k-subset of 0..n-1 in itertools.combinations order. */
function forEachCombination(n: number, k: number, visit: (subset: readonly number[]) => void): void {
  const subset = Array.from({ length: k }, (_, i) => i);
  for (;;) {
    visit(subset);
    let i = k - 1;
    while (i >= 0 && subset[i] === n - k + i) i--;
    if (i < 0) return;
    subset[i] = (subset[i] as number) + 1;
    for (let j = i + 1; j < k; j++) subset[j] = (subset[j - 1] as number) + 1;
  }
}

/** A compact Map key for a mask: 16 players per UTF-16 code unit. */
function maskKey(mask: Uint8Array): string {
  let key = '';
  for (let start = 0; start < mask.length; start += 16) {
    let code = 0;
    for (let bit = 0; bit < 16 && start + bit < mask.length; bit++)
      code |= (mask[start + bit] as number) << bit;
    key += String.fromCharCode(code);
  }
  return key;
}

const complementOf = (mask: Uint8Array): Uint8Array => mask.map((value) => 1 - value);

/** Plans the coalitions for M ≥ 2 players and a budget of `nsamples` (shap's algorithm; the draws come from `rng`). */
export function planCoalitions(m: number, nsamples: number, rng: Rng): CoalitionPlan {
  const allocated = Math.min(nsamples, maxCoalitions(m));
  const masks: Uint8Array[] = [];
  const weights: number[] = [];
  const add = (mask: Uint8Array, weight: number): void => {
    masks.push(mask);
    weights.push(weight);
  };
  const numSubsetSizes = Math.ceil((m - 1) / 2);
  const numPaired = Math.floor((m - 1) / 2);
  // Shapley kernel mass of each size s (with M − s folded in for paired sizes), normalised.
  const weightVector = Array.from({ length: numSubsetSizes }, (_, i) => {
    const size = i + 1;
    return ((m - 1) / (size * (m - size))) * (size <= numPaired ? 2 : 1);
  });
  const total = weightVector.reduce((sum, w) => sum + w, 0);
  for (let i = 0; i < numSubsetSizes; i++) weightVector[i] = (weightVector[i] as number) / total;

  let numFull = 0;
  let budget = allocated;
  const remaining = weightVector.slice();
  for (let size = 1; size <= numSubsetSizes; size++) {
    const paired = size <= numPaired;
    const count = binomial(m, size) * (paired ? 2 : 1);
    if (!((budget * (remaining[size - 1] as number)) / count >= 1 - 1e-8)) break;
    numFull += 1;
    budget -= count;
    const share = remaining[size - 1] as number;
    if (share < 1)
      for (let i = 0; i < remaining.length; i++) remaining[i] = (remaining[i] as number) / (1 - share);
    const weight = (weightVector[size - 1] as number) / binomial(m, size) / (paired ? 2 : 1);
    forEachCombination(m, size, (subset) => {
      const mask = new Uint8Array(m);
      for (const player of subset) mask[player] = 1;
      add(mask, weight);
      if (paired) add(complementOf(mask), weight);
    });
  }
  const enumerated = masks.length;

  let samplesLeft = allocated - enumerated;
  if (numFull !== numSubsetSizes && samplesLeft > 0) {
    // Each draw of a paired size also adds its complement, so those sizes get half the draw probability.
    const drawWeights = weightVector.map((w, i) => (i < numPaired ? w / 2 : w)).slice(numFull);
    const maxDraws = 4 * samplesLeft; // shap draws 4 × the budget of sizes once and stops when they run out
    const seen = new Map<string, number>();
    for (let draw = 0; samplesLeft > 0 && draw < maxDraws; draw++) {
      const size = rng.weighted(drawWeights) + numFull + 1;
      const mask = new Uint8Array(m);
      for (const player of rng.permutation(m).slice(0, size)) mask[player] = 1;
      const key = maskKey(mask);
      const previous = seen.get(key);
      if (previous === undefined) {
        seen.set(key, masks.length);
        samplesLeft -= 1;
        add(mask, 1);
      } else {
        weights[previous] = (weights[previous] as number) + 1;
      }
      if (samplesLeft > 0 && size <= numPaired) {
        if (previous === undefined) {
          samplesLeft -= 1;
          add(complementOf(mask), 1);
        } else {
          // The complement was added right after the first draw of this mask.
          weights[previous + 1] = (weights[previous + 1] as number) + 1;
        }
      }
    }
    // Sampled coalitions share the kernel mass the enumerated sizes did not take, in proportion to their counts.
    const weightLeft = weightVector.slice(numFull).reduce((sum, w) => sum + w, 0);
    const drawn = weights.slice(enumerated).reduce((sum, w) => sum + w, 0);
    for (let i = enumerated; i < weights.length; i++)
      weights[i] = ((weights[i] as number) * weightLeft) / drawn;
  }
  return {
    masks,
    weights: Float64Array.from(weights),
    allocated,
    enumerated,
    complete: masks.length === maxCoalitions(m) && m <= 30,
  };
}
