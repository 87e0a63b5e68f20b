import { describe, expect, test } from 'vitest';
import { ConfigError, GAMES, GAME_IDS, Rng, drawWeekdaysOn, type GameRules } from '@nflab/contracts';
import {
  choose,
  distinctPermutations,
  drawProblems,
  poisson,
  synthesizeDraws,
  tierProbabilities,
} from '@nflab/store';
import type { Draw } from '../src/loto/draw.js';

const weekday = (iso: string): number => new Date(`${iso}T00:00:00Z`).getUTCDay();

// Every rule of the game that a single draw must satisfy.
const checkDrawRules = (game: GameRules, draw: Draw): void => {
  expect(draw.main).toHaveLength(game.mainCount);
  expect(draw.bonus).toHaveLength(game.bonusCount);
  for (const n of [...draw.main, ...draw.bonus]) {
    expect(Number.isInteger(n)).toBe(true);
    expect(n).toBeGreaterThanOrEqual(game.min);
    expect(n).toBeLessThanOrEqual(game.max);
  }
  if (game.layout === 'set') {
    const all = [...draw.main, ...draw.bonus];
    expect(new Set(all).size).toBe(all.length);
    expect([...draw.main].sort((a, b) => a - b)).toEqual(draw.main);
  }
  if (game.layout === 'columns') {
    draw.main.forEach((n, column) => {
      expect(n).toBeGreaterThanOrEqual(column * 5 + 1);
      expect(n).toBeLessThanOrEqual(column * 5 + 5);
    });
  }
  expect(drawWeekdaysOn(game, draw.ds)).toContain(weekday(draw.ds));
  expect(draw.tiers).toHaveLength(game.tiers);
  for (const tier of draw.tiers) {
    expect(Number.isInteger(tier.winners)).toBe(true);
    expect(tier.winners).toBeGreaterThanOrEqual(0);
    expect(tier.prize).toBeGreaterThanOrEqual(0);
    if (tier.winners === 0) expect(tier.prize).toBe(0);
  }
  if (game.hasCarryOver) expect(draw.carryOver).toBeGreaterThanOrEqual(0);
  else expect(draw.carryOver).toBeNull();
};

describe('synthesizeDraws', () => {
  test.each(GAME_IDS)('%s: every draw obeys the rules, for many seeds', (id) => {
    const game: GameRules = GAMES[id];
    for (let seed = 0; seed < 40; seed += 1) {
      const draws = synthesizeDraws({ game: id, draws: 25, seed });
      expect(draws).toHaveLength(25);
      draws.forEach((draw, i) => {
        expect(draw.num).toBe(i + 1);
        if (i > 0) expect(draw.ds > (draws[i - 1] as Draw).ds).toBe(true);
        checkDrawRules(game, draw);
        // The importer's validator (shared with saveDraws) accepts every synthetic draw.
        expect(drawProblems(game, draw)).toEqual([]);
      });
      expect(draws[0]?.ds).toBe(game.schedule[0]?.[0]);
    }
  });

  test('same seed gives the same draws, another seed different ones', () => {
    for (const game of GAME_IDS) {
      const a = synthesizeDraws({ game, draws: 30, seed: 7 });
      expect(synthesizeDraws({ game, draws: 30, seed: 7 })).toEqual(a);
      expect(synthesizeDraws({ game, draws: 30, seed: 8 })).not.toEqual(a);
    }
  });

  test('dates are consecutive draw days: loto6 moves from Thursday-only to Monday+Thursday in 2011', () => {
    const draws = synthesizeDraws({ game: 'loto6', draws: 6, seed: 1, start: '2011-03-20' });
    expect(draws.map((d) => d.ds)).toEqual([
      '2011-03-24',
      '2011-03-31',
      '2011-04-04',
      '2011-04-07',
      '2011-04-11',
      '2011-04-14',
    ]);
    // NUMBERS: weekdays only, none over the New Year break.
    const numbers = synthesizeDraws({
      game: 'numbers3',
      draws: 4,
      seed: 1,
      start: '2020-12-30',
      firstNum: 5600,
    });
    expect(numbers.map((d) => [d.num, d.ds])).toEqual([
      [5600, '2020-12-30'],
      [5601, '2021-01-04'],
      [5602, '2021-01-05'],
      [5603, '2021-01-06'],
    ]);
  });

  test('number frequencies are uniform over the range (chi-square, 20k loto6 draws)', () => {
    const counts = new Array<number>(44).fill(0);
    const draws = synthesizeDraws({ game: 'loto6', draws: 4000, seed: 3 });
    for (const d of draws) for (const n of d.main) counts[n] = (counts[n] ?? 0) + 1;
    const expected = (4000 * 6) / 43;
    const chi2 = counts.slice(1).reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    // 42 degrees of freedom: the 99.9% quantile is about 76.
    expect(chi2).toBeLessThan(76);
  });

  test('carry-over grows while tier 1 is not won and falls back when it is', () => {
    const draws = synthesizeDraws({ game: 'loto7', draws: 300, seed: 11 });
    let grew = 0;
    let reset = 0;
    for (let i = 1; i < draws.length; i += 1) {
      const prev = (draws[i - 1] as Draw).carryOver ?? 0;
      const d = draws[i] as Draw;
      const carry = d.carryOver ?? 0;
      if (d.tiers[0]?.winners === 0) {
        expect(carry).toBeGreaterThan(prev);
        grew += 1;
      } else {
        // A win resets the carry-over unless the pool exceeded the per-winner cap; then only the excess stays.
        const prize = d.tiers[0]?.prize ?? 0;
        const cap = prev > 0 ? 1_000_000_000 : 600_000_000;
        if (prize < cap) expect(carry).toBe(0);
        else expect(carry).toBeGreaterThan(0);
        if (carry === 0) reset += 1;
      }
    }
    expect(grew).toBeGreaterThan(0);
    expect(reset).toBeGreaterThan(0);
  });

  test('mean winners per tier match tickets × exact odds (loto6 tier 4)', () => {
    const draws = synthesizeDraws({ game: 'loto6', draws: 500, seed: 5 });
    const mean = draws.reduce((s, d) => s + (d.tiers[3]?.winners ?? 0), 0) / draws.length;
    const p = (choose(6, 4) * choose(37, 2)) / choose(43, 6);
    // 10M mean tickets, boosted by at most 50% under carry-over.
    expect(mean).toBeGreaterThan(10_000_000 * p * 0.9);
    expect(mean).toBeLessThan(10_000_000 * p * 1.6);
  });

  test('rejects bad options with ConfigError naming the field', () => {
    expect(() => synthesizeDraws({ game: 'loto9' as 'loto6', draws: 1, seed: 1 })).toThrow(
      /game must be one of/,
    );
    expect(() => synthesizeDraws({ game: 'loto6', draws: -1, seed: 1 })).toThrow(ConfigError);
    expect(() => synthesizeDraws({ game: 'loto6', draws: 1, seed: 1.5 })).toThrow(/seed/);
    expect(() => synthesizeDraws({ game: 'loto6', draws: 1, seed: 1, start: '2021-02-30' })).toThrow(/start/);
    expect(() => synthesizeDraws({ game: 'loto6', draws: 1, seed: 1, start: '1999-01-01' })).toThrow(
      /first draw 2000-10-05/,
    );
  });
});

describe('tierProbabilities', () => {
  test('matches the published odds of each game', () => {
    const inverse = (id: Parameters<typeof tierProbabilities>[0], main: number[] = []): number[] =>
      tierProbabilities(id, main).map((p) => Math.round(1 / p));
    expect(inverse('loto6')).toEqual([6096454, 1016076, 28224, 610, 39]);
    expect(inverse('loto7')).toEqual([10295472, 735391, 52528, 1127, 72, 42]);
    expect(inverse('miniloto')).toEqual([169911, 33982, 1359, 52]);
    expect(inverse('bingo5')[0]).toBe(390625);
    expect(inverse('numbers3', [1, 2, 3])).toEqual([1000, 167, 1000, 200, 100]);
    expect(tierProbabilities('numbers3', [7, 7, 7]).slice(1, 4)).toEqual([0, 0, 0]);
    expect(inverse('numbers4', [1, 1, 2, 3])).toEqual([10000, 833, 10000, 909]);
  });

  test('every game has one probability per tier; BINGO5 tiers are disjoint events', () => {
    for (const id of GAME_IDS) expect(tierProbabilities(id, [1, 2, 3, 4])).toHaveLength(GAMES[id].tiers);
    const total = tierProbabilities('bingo5', []).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(1);
    expect(distinctPermutations([1, 1, 2, 2])).toBe(6);
  });
});

describe('the seeded stream synthetic draws use', () => {
  test('is deterministic, uniform in [0,1) and int(n) stays in range', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(xs);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(Math.abs(xs.reduce((s, x) => s + x, 0) / xs.length - 0.5)).toBeLessThan(0.05);
    const r = new Rng(-3);
    for (let i = 0; i < 1000; i += 1) expect(r.int(7)).toBeLessThan(7);
    expect(new Rng(2 ** 40).next()).not.toBe(new Rng(0).next());
  });

  test('poisson has the right mean on both sides of the normal switch', () => {
    const r = new Rng(9);
    for (const mean of [0.5, 4, 200]) {
      const n = 4000;
      let sum = 0;
      for (let i = 0; i < n; i += 1) sum += poisson(r, mean);
      expect(Math.abs(sum / n - mean)).toBeLessThan(4 * Math.sqrt(mean / n));
    }
  });
});
