/**
 * Synthetic loto6 tables for drift tests: the fair generator throughout, or switched midway to one
 * that favours 1–8 (weight 4), so drift is there by construction.
 */
import { Rng } from '@nflab/contracts';
import { saveDraws, synthesizeDraws, type Db, type Draw } from '@nflab/store';

/** A loto6 draw whose main numbers are redrawn with 1–8 four times as likely. */
export const biased = (draw: Draw, rng: Rng): Draw => {
  const weights = Array.from({ length: 43 }, (_, i): number =>
    draw.bonus.includes(i + 1) ? 0 : i < 8 ? 4 : 1,
  );
  const main = Array.from({ length: 6 }, () => {
    const i = rng.weighted(weights);
    weights[i] = 0;
    return i + 1;
  }).sort((a, b) => a - b);
  return { ...draw, main };
};

/** What {@link saveSyntheticDraws} writes. */
export interface SyntheticDrawsOptions {
  readonly table: string;
  readonly seed: number;
  /** @default 400 */
  readonly draws?: number;
  /** Draws from this index on come from the biased generator. @default never */
  readonly changeAt?: number;
}

/** Saves `draws` synthetic loto6 draws (Mondays and Thursdays from 2015) to `table`; returns them. */
export const saveSyntheticDraws = async (db: Db, options: SyntheticDrawsOptions): Promise<Draw[]> => {
  const fair = synthesizeDraws({
    game: 'loto6',
    draws: options.draws ?? 400,
    seed: options.seed,
    start: '2015-01-01',
  });
  const rng = new Rng('bias', options.table);
  const changeAt = options.changeAt ?? Number.POSITIVE_INFINITY;
  const draws = fair.map((draw, i) => (i < changeAt ? draw : biased(draw, rng)));
  await saveDraws(db, { table: options.table, draws });
  return draws;
};
