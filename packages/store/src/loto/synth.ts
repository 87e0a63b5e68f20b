/**
 * Synthetic draw histories that obey each game's real rules (numbers, draw weekdays, prize tiers),
 * deterministic from a seed: for demos, tests and benchmarks without downloading real results.
 */
import {
  ConfigError,
  GAMES,
  GAME_IDS,
  Rng,
  drawWeekdaysOn,
  type GameId,
  type GameRules,
} from '@nflab/contracts';
import { addDays, isoToUtcMs, weekdayOf } from '../calendar/iso-date.js';
import type { Draw } from './draw.js';
import { drawPrizes } from './prizes.js';

/** Options of {@link synthesizeDraws}. */
export interface SynthesizeOptions {
  readonly game: GameId;
  /** How many consecutive draws to make. */
  readonly draws: number;
  /** Seed of the pseudo-random stream: same seed, same draws. */
  readonly seed: number;
  /**
   * First day to consider; the first draw is on the first draw weekday on or after it.
   * @default the game's first schedule date (its first real draw)
   */
  readonly start?: string;
  /**
   * Draw number (開催回) of the first draw.
   * @default 1
   */
  readonly firstNum?: number;
}

/** Upper bound on `draws`: two centuries of daily NUMBERS draws, far beyond any real history. */
export const MAX_SYNTH_DRAWS = 100_000;

// No draws are held over the New Year break (12/31–1/3), whatever the weekday.
const isNewYearBreak = (isoDate: string): boolean => {
  const monthDay = isoDate.slice(5);
  return monthDay === '12-31' || monthDay <= '01-03';
};

const isDrawDay = (game: GameRules, isoDate: string): boolean =>
  !isNewYearBreak(isoDate) && drawWeekdaysOn(game, isoDate).includes(weekdayOf(isoDate));

/** The next `count` draw days of `game` on or after `start`, following its weekday schedule. */
export const drawDays = (game: GameRules, start: string, count: number): string[] => {
  const days: string[] = [];
  let day = start;
  while (days.length < count) {
    if (isDrawDay(game, day)) days.push(day);
    day = addDays(day, 1);
  }
  return days;
};

const ascending = (a: number, b: number): number => a - b;

// Partial Fisher–Yates over min..max: the first k picks are the mains, the next b the bonus,
// so bonus numbers are distinct from the mains by construction. Both are published ascending.
const drawSet = (game: GameRules, rng: Rng): { main: number[]; bonus: number[] } => {
  const pool = Array.from({ length: game.max - game.min + 1 }, (_, i) => game.min + i);
  const picks = game.mainCount + game.bonusCount;
  for (let i = 0; i < picks; i += 1) {
    const j = i + rng.int(pool.length - i);
    [pool[i], pool[j]] = [pool[j] as number, pool[i] as number];
  }
  return {
    main: pool.slice(0, game.mainCount).sort(ascending),
    bonus: pool.slice(game.mainCount, picks).sort(ascending),
  };
};

// One number from each block of `width` consecutive numbers, in column order (BINGO5: 1–5, 6–10 …).
const drawColumns = (game: GameRules, rng: Rng): number[] => {
  const width = (game.max - game.min + 1) / game.mainCount;
  return Array.from({ length: game.mainCount }, (_, column) => game.min + column * width + rng.int(width));
};

// Each position an independent digit, with replacement, in position order (NUMBERS).
const drawDigits = (game: GameRules, rng: Rng): number[] =>
  Array.from({ length: game.mainCount }, () => game.min + rng.int(game.max - game.min + 1));

const drawNumbers = (game: GameRules, rng: Rng): { main: number[]; bonus: number[] } => {
  if (game.layout === 'set') return drawSet(game, rng);
  if (game.layout === 'columns') return { main: drawColumns(game, rng), bonus: [] };
  return { main: drawDigits(game, rng), bonus: [] };
};

const validate = (options: SynthesizeOptions): { game: GameRules; start: string; firstNum: number } => {
  if (!(GAME_IDS as string[]).includes(options.game)) {
    throw new ConfigError(`game must be one of ${GAME_IDS.join(', ')}, got ${JSON.stringify(options.game)}`);
  }
  const game: GameRules = GAMES[options.game];
  if (!Number.isInteger(options.draws) || options.draws < 0 || options.draws > MAX_SYNTH_DRAWS) {
    throw new ConfigError(
      `draws must be an integer in [0, ${MAX_SYNTH_DRAWS}], got ${String(options.draws)}`,
    );
  }
  const firstDraw = game.schedule[0]?.[0] ?? '';
  const start = options.start ?? firstDraw;
  isoToUtcMs(start, 'start');
  if (start < firstDraw) {
    throw new ConfigError(`start must be on or after ${game.id}'s first draw ${firstDraw}, got ${start}`);
  }
  const firstNum = options.firstNum ?? 1;
  if (!Number.isSafeInteger(firstNum) || firstNum < 1) {
    throw new ConfigError(`firstNum must be an integer ≥ 1, got ${String(firstNum)}`);
  }
  return { game, start, firstNum };
};

/**
 * Makes `draws` consecutive synthetic draws of a game: numbers drawn by the game's rules, dates on
 * its real draw weekdays, winners and prizes for every tier from its sales model, and the
 * carry-over chain for games that have one. Deterministic: the same options give the same draws.
 */
export const synthesizeDraws = (options: SynthesizeOptions): Draw[] => {
  const { game, start, firstNum } = validate(options);
  if (!Number.isSafeInteger(options.seed)) {
    throw new ConfigError(`seed must be a safe integer, got ${String(options.seed)}`);
  }
  const rng = new Rng(options.seed);
  let carryIn = 0;
  return drawDays(game, start, options.draws).map((ds, i): Draw => {
    const { main, bonus } = drawNumbers(game, rng);
    const prizes = drawPrizes({ game: options.game, main, carryIn, rng });
    carryIn = prizes.carryOver ?? 0;
    return {
      game: options.game,
      num: firstNum + i,
      ds,
      main,
      bonus,
      carryOver: prizes.carryOver,
      tiers: prizes.tiers,
    };
  });
};
