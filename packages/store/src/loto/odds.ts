/**
 * Probability that one ticket wins each prize tier, computed combinatorially from the game rules
 * in `GAMES` — never typed in — so the synthesiser's winner counts follow the real odds.
 */
import { GAMES, type GameId, type GameRules } from '@nflab/contracts';

/** How a set-game tier treats the bonus numbers: none matched, at least one, or either way. */
type BonusRule = 'none' | 'some' | 'any';

/** A set-game tier: how many main numbers the ticket matches, and the bonus condition. */
interface SetTier {
  readonly main: number;
  readonly bonus: BonusRule;
}

// Tier definitions as the official rules state them (tier 1 first).
const SET_TIERS: Partial<Record<GameId, readonly SetTier[]>> = {
  loto6: [
    { main: 6, bonus: 'any' },
    { main: 5, bonus: 'some' },
    { main: 5, bonus: 'none' },
    { main: 4, bonus: 'any' },
    { main: 3, bonus: 'any' },
  ],
  loto7: [
    { main: 7, bonus: 'any' },
    { main: 6, bonus: 'some' },
    { main: 6, bonus: 'none' },
    { main: 5, bonus: 'any' },
    { main: 4, bonus: 'any' },
    { main: 3, bonus: 'some' },
  ],
  miniloto: [
    { main: 5, bonus: 'any' },
    { main: 4, bonus: 'some' },
    { main: 4, bonus: 'none' },
    { main: 3, bonus: 'any' },
  ],
};

/** Binomial coefficient C(n, k) as an exact-enough double (all lottery values are < 2^53). */
export const choose = (n: number, k: number): number => {
  if (k < 0 || k > n) return 0;
  let result = 1;
  for (let i = 1; i <= Math.min(k, n - k); i += 1) result = (result * (n - i + 1)) / i;
  return Math.round(result);
};

const setTierProbability = (game: GameRules, tier: SetTier): number => {
  const pool = game.max - game.min + 1;
  const k = game.mainCount;
  const b = game.bonusCount;
  // A ticket picks k numbers: m of the k mains, j of the b bonus numbers, the rest from the others.
  const ways = (j: number): number =>
    choose(k, tier.main) * choose(b, j) * choose(pool - k - b, k - tier.main - j);
  let count = 0;
  for (let j = 0; j <= b; j += 1) {
    if (tier.bonus === 'none' && j > 0) continue;
    if (tier.bonus === 'some' && j === 0) continue;
    count += ways(j);
  }
  return count / choose(pool, k);
};

// BINGO5 card: a 3×3 grid with a FREE centre; the 8 columns' numbers sit around it, cells 0..7 as
//   0 1 2 / 3 F 4 / 5 6 7. A line is complete when all its non-free cells are matched.
const BINGO5_LINES: readonly (readonly number[])[] = [
  [0, 1, 2],
  [3, 4],
  [5, 6, 7],
  [0, 3, 5],
  [1, 6],
  [2, 4, 7],
  [0, 7],
  [2, 5],
];

// Lines needed for tiers 1..7 (seven lines is impossible: any one unmatched cell breaks ≥ 2 lines).
const BINGO5_TIER_LINES = [8, 6, 5, 4, 3, 2, 1] as const;

const bingo5Probabilities = (game: GameRules): number[] => {
  const perColumn = (game.max - game.min + 1) / game.mainCount;
  const hit = 1 / perColumn;
  const probabilities = BINGO5_TIER_LINES.map(() => 0);
  // Each cell matches independently with probability 1/5: enumerate all 2^8 match patterns.
  for (let mask = 0; mask < 1 << game.mainCount; mask += 1) {
    let matched = 0;
    for (let cell = 0; cell < game.mainCount; cell += 1) if (mask & (1 << cell)) matched += 1;
    const lines = BINGO5_LINES.filter((line) => line.every((cell) => mask & (1 << cell))).length;
    const tier = BINGO5_TIER_LINES.indexOf(lines as (typeof BINGO5_TIER_LINES)[number]);
    if (tier >= 0) {
      probabilities[tier] =
        (probabilities[tier] ?? 0) + hit ** matched * (1 - hit) ** (game.mainCount - matched);
    }
  }
  return probabilities;
};

/** Distinct orderings of a digit string (6 for 1-2-3, 3 for 1-1-2, 1 for 7-7-7). */
export const distinctPermutations = (digits: readonly number[]): number => {
  const counts = new Map<number, number>();
  for (const d of digits) counts.set(d, (counts.get(d) ?? 0) + 1);
  let result = factorial(digits.length);
  for (const c of counts.values()) result /= factorial(c);
  return result;
};

const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));

// NUMBERS tiers, in order: straight, box, set-straight, set-box, then (numbers3 only) mini.
// Box and set are not sold when all digits are equal, so those tiers cannot be won then.
const digitsProbabilities = (game: GameRules, main: readonly number[]): number[] => {
  const space = 10 ** game.mainCount;
  const perms = distinctPermutations(main);
  const boxSold = perms > 1;
  const probabilities = [
    1 / space,
    boxSold ? perms / space : 0,
    boxSold ? 1 / space : 0,
    boxSold ? (perms - 1) / space : 0,
  ];
  // Mini: the last two digits in order.
  if (game.tiers > probabilities.length) probabilities.push(1 / 100);
  return probabilities;
};

/**
 * Probability that one ticket wins each tier of `game` (tier 1 first, `GAMES[game].tiers` long).
 * `main` (the draw's main numbers) matters only for NUMBERS, whose box odds depend on repeated digits.
 */
export const tierProbabilities = (gameId: GameId, main: readonly number[]): number[] => {
  const game: GameRules = GAMES[gameId];
  if (game.layout === 'columns') return bingo5Probabilities(game);
  if (game.layout === 'digits') return digitsProbabilities(game, main);
  const tiers = SET_TIERS[gameId];
  // A set game added to GAMES without its tier table is a programming error, not user input.
  if (tiers?.length !== game.tiers) throw new Error(`odds: no tier table for set game ${gameId}`);
  return tiers.map((tier) => setTierProbability(game, tier));
};
