import { ConfigError, type GameRules } from '@nflab/contracts';
import { requirePositiveInteger } from '../checks.js';
import { chiSquareSurvival } from '../exogenous/special.js';

/**
 * How a game draws its k numbers from a pool of N:
 * - `without-replacement`: k distinct numbers (loto6: 6 of 1..43, loto7, miniloto);
 * - `with-replacement`: k independent numbers, repeats allowed (numbers3/4: digits 0..9);
 * - `columns`: one number from each of k blocks of N/k (bingo5: 1–5, 6–10, …, 36–40), in block order.
 */
export type DrawSampling = 'without-replacement' | 'with-replacement' | 'columns';

/** The pool and draw size of a uniformity test. */
export interface UniformityDesign {
  /** N: how many numbers can be drawn. */
  readonly poolSize: number;
  /** k: how many numbers each draw has. */
  readonly k: number;
  /** Smallest number of the pool; the pool is min..min+N−1. @default 1 */
  readonly min?: number;
  /** @default 'without-replacement' */
  readonly sampling?: DrawSampling;
}

/** The design of a game's main numbers (bonus numbers are left out: they are drawn after the main ones). */
export function uniformityDesignOf(game: GameRules): Required<UniformityDesign> {
  const sampling: DrawSampling =
    game.layout === 'set' ? 'without-replacement' : game.layout === 'digits' ? 'with-replacement' : 'columns';
  return { poolSize: game.max - game.min + 1, k: game.mainCount, min: game.min, sampling };
}

/** A goodness-of-fit test of each number's frequency against the uniform draw. */
export interface NumberFrequencyUniformity {
  readonly draws: number;
  readonly poolSize: number;
  readonly k: number;
  readonly min: number;
  readonly sampling: DrawSampling;
  /** How often each number min..min+N−1 was drawn. */
  readonly counts: readonly number[];
  /** Expected count of every number, draws·k/N. */
  readonly expected: number;
  /** Pearson's X² = Σ (O − E)²/E. */
  readonly statistic: number;
  /** X² rescaled to follow χ²(dof) (see the note in number-frequency.ts); equals `statistic` with replacement. */
  readonly correctedStatistic: number;
  readonly dof: number;
  /** P(χ²(dof) > correctedStatistic): small when some numbers come up more often than chance allows. */
  readonly pValue: number;
  /** True when the expected count is below 5, where the χ² approximation is rough. */
  readonly lowExpected: boolean;
}

// Why the correction. Within one draw of k distinct numbers the counts are not multinomial: number
// i appears with p = k/N, Var = D·p(1 − p), and two numbers compete for the same draw. Their
// covariance matrix is exactly (N − k)/(N − 1) times that of a multinomial of D·k balls, so Pearson's
// X² has mean N − k instead of N − 1 (37 vs 42 for loto6) and X²·(N − 1)/(N − k) ~ χ²(N − 1). The
// plain test would be conservative and miss real bias. For `columns` each block is its own
// multinomial of D balls over N/k numbers, so X² ~ χ²(N − k) unscaled; `with-replacement` is the
// textbook multinomial case, χ²(N − 1).

function checkDraw(draw: readonly number[], index: number, design: Required<UniformityDesign>): void {
  const { poolSize, k, min, sampling } = design;
  if (draw.length !== k) {
    throw new ConfigError(`draws[${index}] has ${draw.length} numbers, expected k = ${k}`);
  }
  const block = poolSize / k;
  draw.forEach((number, j) => {
    const low = sampling === 'columns' ? min + j * block : min;
    const high = sampling === 'columns' ? low + block - 1 : min + poolSize - 1;
    if (!Number.isInteger(number) || number < low || number > high) {
      const where = sampling === 'columns' ? ` (column ${j + 1})` : '';
      throw new ConfigError(
        `draws[${index}][${j}] must be an integer in ${low}..${high}${where}, got ${String(number)}`,
      );
    }
  });
  if (sampling === 'without-replacement' && new Set(draw).size !== k) {
    throw new ConfigError(`draws[${index}] repeats a number, but numbers are drawn without replacement`);
  }
}

function checkDesign(design: UniformityDesign): Required<UniformityDesign> {
  const poolSize = requirePositiveInteger(design.poolSize, 'poolSize');
  const k = requirePositiveInteger(design.k, 'k');
  const min = design.min ?? 1;
  const sampling = design.sampling ?? 'without-replacement';
  if (!Number.isInteger(min)) throw new ConfigError(`min must be an integer, got ${String(min)}`);
  if (!['without-replacement', 'with-replacement', 'columns'].includes(sampling)) {
    throw new ConfigError(
      `sampling must be one of without-replacement, with-replacement, columns, got ${String(sampling)}`,
    );
  }
  if (poolSize < 2) throw new ConfigError(`poolSize must be at least 2, got ${poolSize}`);
  if (sampling === 'without-replacement' && k >= poolSize) {
    throw new ConfigError(
      `k must be below poolSize when drawing without replacement, got k = ${k}, poolSize = ${poolSize}`,
    );
  }
  if (sampling === 'columns' && (poolSize % k !== 0 || poolSize === k)) {
    throw new ConfigError(
      `poolSize must be a multiple of k (above k) for columns, got poolSize = ${poolSize}, k = ${k}`,
    );
  }
  return { poolSize, k, min, sampling };
}

/**
 * Pearson chi-square test that every number of the pool is drawn equally often, from a list of
 * draws (each the k numbers of one draw). Under a fair game the p-value is uniform on (0, 1); a
 * tiny one says the numbers' frequencies changed — the drift detector lottery data supports best.
 */
export function numberFrequencyUniformity(
  draws: readonly (readonly number[])[],
  design: UniformityDesign,
): NumberFrequencyUniformity {
  const checked = checkDesign(design);
  const { poolSize, k, min, sampling } = checked;
  if (draws.length === 0) throw new ConfigError('draws must hold at least 1 draw, got 0');
  const counts = new Array<number>(poolSize).fill(0);
  draws.forEach((draw, index) => {
    checkDraw(draw, index, checked);
    for (const number of draw) counts[number - min] = (counts[number - min] ?? 0) + 1;
  });
  const expected = (draws.length * k) / poolSize;
  const statistic = counts.reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
  const correctedStatistic =
    sampling === 'without-replacement' ? (statistic * (poolSize - 1)) / (poolSize - k) : statistic;
  const dof = sampling === 'columns' ? poolSize - k : poolSize - 1;
  return {
    draws: draws.length,
    poolSize,
    k,
    min,
    sampling,
    counts,
    expected,
    statistic,
    correctedStatistic,
    dof,
    pValue: chiSquareSurvival(correctedStatistic, dof),
    lowExpected: expected < 5,
  };
}
