/**
 * Synthetic prize columns for one draw: tickets sold → winners per tier (Poisson with mean
 * tickets × the tier's exact odds) → prize per winner (tier pool / winners), plus the carry-over.
 */
import { GAMES, type GameId, type Rng } from '@nflab/contracts';
import type { PrizeTier } from './draw.js';
import { tierProbabilities } from './odds.js';
import { poisson } from './poisson.js';
import {
  CARRY_SALES_BOOST,
  PRIZE_UNIT,
  SALES_MODELS,
  TICKETS_SIGMA,
  type DigitsSalesModel,
  type PoolSalesModel,
} from './sales.js';

/** Prize columns of one draw and the carry-over it leaves. */
export interface DrawPrizes {
  readonly tiers: PrizeTier[];
  /** Carry-over after this draw (yen); null for games without carry-over. */
  readonly carryOver: number | null;
}

/** Options of {@link drawPrizes}. */
export interface DrawPrizesOptions {
  readonly game: GameId;
  /** The draw's main numbers (NUMBERS' box odds depend on them). */
  readonly main: readonly number[];
  /** Carry-over coming into this draw (yen); 0 for games without one. */
  readonly carryIn: number;
  readonly rng: Rng;
}

const roundDown = (yen: number): number => Math.floor(yen / PRIZE_UNIT) * PRIZE_UNIT;

const perWinner = (pool: number, winners: number): number => (winners > 0 ? roundDown(pool / winners) : 0);

// Log-normal around the mean (the -σ²/2 keeps the mean at meanTickets), lifted by a carry-over
// because a big jackpot sells more tickets.
const ticketsSold = (meanTickets: number, rng: Rng, carryBoost: number): number =>
  Math.round(
    meanTickets * Math.exp(TICKETS_SIGMA * rng.normal() - TICKETS_SIGMA ** 2 / 2) * (1 + carryBoost),
  );

const poolPrizes = (model: PoolSalesModel, options: DrawPrizesOptions): DrawPrizes => {
  const { game, main, carryIn, rng } = options;
  const hasCarry = GAMES[game].hasCarryOver;
  const boost = hasCarry ? CARRY_SALES_BOOST * Math.min(1, carryIn / model.tier1Cap) : 0;
  const tickets = ticketsSold(model.meanTickets, rng, boost);
  const winners = tierProbabilities(game, main).map((p) => poisson(rng, tickets * p));
  const fixedPaid = winners.reduce((sum, w, t) => sum + w * (model.fixed[t] ?? 0), 0);
  const shared = Math.max(0, tickets * model.price * model.payout - fixedPaid);

  let carryOut = 0;
  const tiers = winners.map((w, t): PrizeTier => {
    const fixed = model.fixed[t];
    if (fixed !== null && fixed !== undefined) return { winners: w, prize: w > 0 ? fixed : 0 };
    const pool = shared * (model.shares[t] ?? 0);
    if (t > 0) return { winners: w, prize: perWinner(pool, w) };
    // Tier 1 gets the carry-over; what nobody wins, or what exceeds the cap, carries to the next draw.
    const tier1Pool = pool + (hasCarry ? carryIn : 0);
    const cap = carryIn > 0 ? model.tier1CapWithCarry : model.tier1Cap;
    const uncapped = perWinner(tier1Pool, w);
    const prize = Math.min(cap, uncapped);
    // A win resets the carry-over (yen lost to rounding do not carry); only money above the cap stays.
    carryOut = w === 0 ? tier1Pool : uncapped > cap ? tier1Pool - cap * w : 0;
    return { winners: w, prize };
  });
  return { tiers, carryOver: hasCarry ? Math.floor(carryOut) : null };
};

// A set bet is half a straight and half a box: its halves join those two pools, and its prize is
// half the straight prize plus half the box prize (set-straight) or half the box prize (set-box).
const digitsPrizes = (model: DigitsSalesModel, options: DrawPrizesOptions): DrawPrizes => {
  const { game, main, rng } = options;
  const tickets = ticketsSold(model.meanTickets, rng, 0);
  const [pStraight = 0, pBox = 0, pSetStraight = 0, pSetBox = 0, pMini] = tierProbabilities(game, main);
  const bets = (share: number): number => Math.round(tickets * share);
  const straight = poisson(rng, bets(model.betShares.straight) * pStraight);
  const box = poisson(rng, bets(model.betShares.box) * pBox);
  const setStraight = poisson(rng, bets(model.betShares.set) * pSetStraight);
  const setBox = poisson(rng, bets(model.betShares.set) * pSetBox);
  const perYen = model.price * model.payout;
  const straightPool = perYen * (bets(model.betShares.straight) + bets(model.betShares.set) / 2);
  const boxPool = perYen * (bets(model.betShares.box) + bets(model.betShares.set) / 2);
  const straightUnit = perWinner(straightPool, straight + setStraight / 2);
  const boxUnit = perWinner(boxPool, box + (setStraight + setBox) / 2);
  const tiers: PrizeTier[] = [
    { winners: straight, prize: straight > 0 ? straightUnit : 0 },
    { winners: box, prize: box > 0 ? boxUnit : 0 },
    { winners: setStraight, prize: setStraight > 0 ? roundDown((straightUnit + boxUnit) / 2) : 0 },
    { winners: setBox, prize: setBox > 0 ? roundDown(boxUnit / 2) : 0 },
  ];
  if (pMini !== undefined) {
    const mini = poisson(rng, bets(model.betShares.mini) * pMini);
    tiers.push({ winners: mini, prize: perWinner(perYen * bets(model.betShares.mini), mini) });
  }
  return { tiers, carryOver: null };
};

/** Draws the winners and prizes of every tier of one draw, and the carry-over it leaves. */
export const drawPrizes = (options: DrawPrizesOptions): DrawPrizes => {
  const model = SALES_MODELS[options.game];
  return model.kind === 'pool' ? poolPrizes(model, options) : digitsPrizes(model, options);
};
