/**
 * The lottery games the lab knows, with the rules the importer, the synthesiser and the feature
 * builder share. Weekdays use JavaScript's numbering (0 = Sunday).
 */
export interface GameRules {
  /** Persisted id, also the value of the `loto` column. */
  readonly id: string;
  /** Japanese product name, as printed on official results. */
  readonly label: string;
  /** How many main numbers a draw has (`N1…Nk`). */
  readonly mainCount: number;
  /** How many bonus numbers a draw has (`B1…Bm`). */
  readonly bonusCount: number;
  /** Smallest and largest number that can be drawn. */
  readonly min: number;
  readonly max: number;
  /**
   * `set`: drawn without replacement, published ascending (loto6, loto7, miniloto).
   * `columns`: one number from each block of `max / mainCount` numbers, published in column order (bingo5).
   * `digits`: each position a digit 0–9 drawn with replacement, order matters (numbers3/4).
   */
  readonly layout: 'set' | 'columns' | 'digits';
  /** Number of prize tiers (`n1…n{tiers}`); at most 7. */
  readonly tiers: number;
  /** Whether the game carries unpaid first-prize money over to the next draw. */
  readonly hasCarryOver: boolean;
  /** Draw weekdays, newest schedule last: `[fromDate, weekdays]` pairs, ISO dates. */
  readonly schedule: readonly (readonly [from: string, weekdays: readonly number[]])[];
}

/** Every game, keyed by id. One line per game; the rest of the lab reads only this. */
export const GAMES = {
  loto6: {
    id: 'loto6',
    label: 'ロト6',
    mainCount: 6,
    bonusCount: 1,
    min: 1,
    max: 43,
    layout: 'set',
    tiers: 5,
    hasCarryOver: true,
    schedule: [
      ['2000-10-05', [4]],
      ['2011-04-04', [1, 4]],
    ],
  },
  loto7: {
    id: 'loto7',
    label: 'ロト7',
    mainCount: 7,
    bonusCount: 2,
    min: 1,
    max: 37,
    layout: 'set',
    tiers: 6,
    hasCarryOver: true,
    schedule: [['2013-04-05', [5]]],
  },
  miniloto: {
    id: 'miniloto',
    label: 'ミニロト',
    mainCount: 5,
    bonusCount: 1,
    min: 1,
    max: 31,
    layout: 'set',
    tiers: 4,
    hasCarryOver: false,
    schedule: [['1999-04-06', [2]]],
  },
  bingo5: {
    id: 'bingo5',
    label: 'ビンゴ5',
    mainCount: 8,
    bonusCount: 0,
    min: 1,
    max: 40,
    layout: 'columns',
    tiers: 7,
    hasCarryOver: true,
    schedule: [['2017-04-05', [3]]],
  },
  numbers3: {
    id: 'numbers3',
    label: 'ナンバーズ3',
    mainCount: 3,
    bonusCount: 0,
    min: 0,
    max: 9,
    layout: 'digits',
    // straight, box, set-straight, set-box, mini
    tiers: 5,
    hasCarryOver: false,
    schedule: [['1994-10-07', [1, 2, 3, 4, 5]]],
  },
  numbers4: {
    id: 'numbers4',
    label: 'ナンバーズ4',
    mainCount: 4,
    bonusCount: 0,
    min: 0,
    max: 9,
    layout: 'digits',
    // straight, box, set-straight, set-box
    tiers: 4,
    hasCarryOver: false,
    schedule: [['1994-10-07', [1, 2, 3, 4, 5]]],
  },
} as const satisfies Record<string, GameRules>;

/** A game id such as `'loto6'`. */
export type GameId = keyof typeof GAMES;

/** All game ids, in registry order. */
export const GAME_IDS = Object.keys(GAMES) as GameId[];

/** The most prize tiers any game has: the long table always carries `n1nu…n7pm`. */
export const MAX_TIERS = 7;

/** The `unique_id`s of a game's series: main positions `N1…Nk`, then bonus `B1…Bm`. */
export const seriesIds = (game: GameRules): string[] => [
  ...Array.from({ length: game.mainCount }, (_, i) => `N${i + 1}`),
  ...Array.from({ length: game.bonusCount }, (_, i) => `B${i + 1}`),
];

/** Draw weekdays in force on an ISO date (`YYYY-MM-DD`). */
export const drawWeekdaysOn = (game: GameRules, isoDate: string): readonly number[] => {
  let current: readonly number[] = game.schedule[0]?.[1] ?? [];
  for (const [from, weekdays] of game.schedule) if (isoDate >= from) current = weekdays;
  return current;
};
