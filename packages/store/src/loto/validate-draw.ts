/** The rules a draw must satisfy before it is stored, shared by the importer and the synthesiser. */
import type { GameRules } from '@nflab/contracts';
import type { Draw, PrizeTier } from './draw.js';

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `iso` is `YYYY-MM-DD` and names a real calendar day (no 2021-02-30). */
export const isIsoDay = (iso: string): boolean => {
  const match = ISO_DAY.exec(iso);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

// The long table stores draw numbers and winners as INTEGER, yen as BIGINT (read as safe integers).
const INT4_MAX = 2_147_483_647;

const isCount = (value: number | null, max = Number.MAX_SAFE_INTEGER): boolean =>
  value === null || (Number.isSafeInteger(value) && value >= 0 && value <= max);

const checkNumbers = (
  game: GameRules,
  label: 'N' | 'B',
  values: readonly number[],
  expected: number,
): string[] => {
  const reasons: string[] = [];
  if (values.length !== expected) reasons.push(`expected ${expected} ${label} numbers, got ${values.length}`);
  values.forEach((value, i) => {
    if (!Number.isInteger(value) || value < game.min || value > game.max) {
      reasons.push(`${label}${i + 1} = ${value} is outside ${game.min}–${game.max}`);
    }
  });
  return reasons;
};

// bingo5: position i is drawn from its own block of max/mainCount numbers (1–5, 6–10, …).
const checkColumns = (game: GameRules, main: readonly number[]): string[] => {
  const block = (game.max - game.min + 1) / game.mainCount;
  return main.flatMap((value, i) => {
    const low = game.min + i * block;
    const high = low + block - 1;
    return value < low || value > high ? [`N${i + 1} = ${value} is outside its column ${low}–${high}`] : [];
  });
};

const checkSet = (main: readonly number[], bonus: readonly number[]): string[] => {
  const reasons: string[] = [];
  for (let i = 1; i < main.length; i++) {
    if ((main[i] ?? 0) <= (main[i - 1] ?? 0)) {
      reasons.push(`main numbers must be distinct and ascending as published, got ${main.join(' ')}`);
      break;
    }
  }
  const all = [...main, ...bonus];
  if (new Set(all).size !== all.length)
    reasons.push(`numbers repeat across main and bonus: ${all.join(' ')}`);
  return reasons;
};

const checkTiers = (game: GameRules, tiers: readonly PrizeTier[]): string[] => {
  if (tiers.length !== game.tiers) return [`expected ${game.tiers} prize tiers, got ${tiers.length}`];
  return tiers.flatMap((tier, i) => [
    ...(isCount(tier.winners) ? [] : [`tier ${i + 1} winners = ${tier.winners} is not a count`]),
    ...(isCount(tier.winners) && !isCount(tier.winners, INT4_MAX)
      ? [`tier ${i + 1} winners = ${tier.winners} is larger than ${INT4_MAX}`]
      : []),
    ...(isCount(tier.prize) ? [] : [`tier ${i + 1} prize = ${tier.prize} is not a whole yen amount`]),
  ]);
};

/**
 * Every way `draw` breaks `game`'s rules (empty when valid): number count and range, distinct and
 * ascending main numbers and distinct bonus for set games, column blocks for bingo5, digits 0–9,
 * a real calendar date, tier count, non-negative counts and amounts. The weekday is not checked:
 * real calendars move draws for holidays.
 */
export const drawProblems = (game: GameRules, draw: Draw): string[] => {
  const reasons: string[] = [];
  if (draw.game !== game.id) reasons.push(`draw is for game ${draw.game}, expected ${game.id}`);
  if (!Number.isSafeInteger(draw.num) || draw.num < 1)
    reasons.push(`draw number ${draw.num} is not a positive integer`);
  else if (draw.num > INT4_MAX) reasons.push(`draw number ${draw.num} is larger than ${INT4_MAX}`);
  if (!isIsoDay(draw.ds)) reasons.push(`date ${JSON.stringify(draw.ds)} is not a valid YYYY-MM-DD day`);
  reasons.push(...checkNumbers(game, 'N', draw.main, game.mainCount));
  reasons.push(...checkNumbers(game, 'B', draw.bonus, game.bonusCount));
  if (game.layout === 'set') reasons.push(...checkSet(draw.main, draw.bonus));
  if (game.layout === 'columns') reasons.push(...checkColumns(game, draw.main));
  reasons.push(...checkTiers(game, draw.tiers));
  if (!game.hasCarryOver && draw.carryOver !== null) {
    reasons.push(`${game.id} has no carry-over, got ${draw.carryOver}`);
  } else if (!isCount(draw.carryOver)) reasons.push(`carry-over ${draw.carryOver} is not a whole yen amount`);
  return reasons;
};
