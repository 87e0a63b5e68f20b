import type { GameId } from '@nflab/contracts';

/** One prize tier of a draw: winners (口数) and prize per winner (賞金, yen); null when not published. */
export interface PrizeTier {
  readonly winners: number | null;
  readonly prize: number | null;
}

/**
 * One draw in wide form, the shape the importer parses and the synthesiser makes; the long table
 * (`loto, num, ds, unique_id, y, co, n1nu … n7pm`) is derived from it.
 */
export interface Draw {
  readonly game: GameId;
  /** Draw number (開催回), 1-based, unique per game. */
  readonly num: number;
  /** Draw date, ISO `YYYY-MM-DD`. */
  readonly ds: string;
  /** Main numbers: ascending for `set` games, column / digit order otherwise. */
  readonly main: readonly number[];
  /** Bonus numbers in published order. */
  readonly bonus: readonly number[];
  /** Carry-over (キャリーオーバー) in yen, null when the game has none. */
  readonly carryOver: number | null;
  /** Tier 1 first; exactly `GAMES[game].tiers` entries. */
  readonly tiers: readonly PrizeTier[];
}
