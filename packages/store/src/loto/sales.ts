/**
 * The sales model behind synthetic prize columns. The figures are round numbers of the same order
 * as published results (ticket price, tickets per draw, the ~45% of sales paid back as prizes that
 * the 当せん金付証票法 allows, prize caps), chosen so that typical prizes land near the published
 * typical values (loto6 tier 1 ≈ ¥1–2億, tier 4 ≈ ¥7,000, tier 5 fixed ¥1,000 …). They are a
 * plausible model, not official allocation rules; the odds that turn tickets into winners are exact
 * (see odds.ts).
 */
import type { GameId } from '@nflab/contracts';

/** Pari-mutuel games (LOTO, BINGO5): a prize pool split between tiers by fixed shares. */
export interface PoolSalesModel {
  readonly kind: 'pool';
  /** Yen per ticket. */
  readonly price: number;
  /** Mean tickets sold per draw when there is no carry-over. */
  readonly meanTickets: number;
  /** Fraction of sales paid out as prizes. */
  readonly payout: number;
  /** Per tier: a fixed prize in yen (paid first), or null when the tier shares the pool. */
  readonly fixed: readonly (number | null)[];
  /** Per tier: share of the pool left after fixed prizes (0 for fixed tiers; the rest sum to 1). */
  readonly shares: readonly number[];
  /** Largest tier-1 prize per winner without / with a carry-over coming in; the excess carries over. */
  readonly tier1Cap: number;
  readonly tier1CapWithCarry: number;
}

/** NUMBERS: each bet type (straight, box, set, mini) is its own pari-mutuel pool. */
export interface DigitsSalesModel {
  readonly kind: 'digits';
  readonly price: number;
  readonly meanTickets: number;
  readonly payout: number;
  /** Fraction of tickets of each bet type (sums to 1; `mini` only for numbers3). */
  readonly betShares: {
    readonly straight: number;
    readonly box: number;
    readonly set: number;
    readonly mini: number;
  };
}

/** The sales model of one game. */
export type SalesModel = PoolSalesModel | DigitsSalesModel;

/** Relative spread (log-normal sigma) of tickets sold from draw to draw. */
export const TICKETS_SIGMA = 0.1;

/** How much more is sold when a carry-over as large as the tier-1 cap is on offer (+50%). */
export const CARRY_SALES_BOOST = 0.5;

/** Published prizes are rounded down to this many yen. */
export const PRIZE_UNIT = 100;

/** The sales model of every game. */
export const SALES_MODELS = {
  loto6: {
    kind: 'pool',
    price: 200,
    meanTickets: 10_000_000,
    payout: 0.45,
    fixed: [null, null, null, null, 1_000],
    shares: [0.42, 0.15, 0.16, 0.27, 0],
    tier1Cap: 600_000_000,
    tier1CapWithCarry: 1_200_000_000,
  },
  loto7: {
    kind: 'pool',
    price: 300,
    meanTickets: 6_000_000,
    payout: 0.45,
    fixed: [null, null, null, null, null, null],
    shares: [0.44, 0.08, 0.1, 0.08, 0.14, 0.16],
    tier1Cap: 600_000_000,
    tier1CapWithCarry: 1_000_000_000,
  },
  miniloto: {
    kind: 'pool',
    price: 200,
    meanTickets: 3_000_000,
    payout: 0.45,
    fixed: [null, null, null, null],
    shares: [0.64, 0.05, 0.1, 0.21],
    tier1Cap: 20_000_000,
    tier1CapWithCarry: 20_000_000,
  },
  bingo5: {
    kind: 'pool',
    price: 200,
    meanTickets: 500_000,
    payout: 0.45,
    fixed: [null, null, null, null, null, null, null],
    shares: [0.12, 0.05, 0.07, 0.1, 0.14, 0.2, 0.32],
    tier1Cap: 6_000_000,
    tier1CapWithCarry: 12_000_000,
  },
  numbers3: {
    kind: 'digits',
    price: 200,
    meanTickets: 1_500_000,
    payout: 0.45,
    betShares: { straight: 0.3, box: 0.3, set: 0.3, mini: 0.1 },
  },
  numbers4: {
    kind: 'digits',
    price: 200,
    meanTickets: 1_200_000,
    payout: 0.45,
    betShares: { straight: 0.35, box: 0.35, set: 0.3, mini: 0 },
  },
} as const satisfies Record<GameId, SalesModel>;
