/**
 * How wide a categorical column's embedding is (NeuralForecast 3.2's `cat_emb_dim`): a fixed width,
 * or a rule of its cardinality K, each capped at 50 — `fastai` ⌈1.6·K^0.56⌉ (fast.ai's rule of
 * thumb), `sqrt` ⌈√K⌉, `half` ⌊(K+1)/2⌋.
 */
import { z } from 'zod';

/** The named width rules. */
export const CAT_EMB_DIM_STRATEGIES = ['fastai', 'sqrt', 'half'] as const;

/** `cat_emb_dim` as a config gives it. */
export const catEmbDimSchema = z.union([z.enum(CAT_EMB_DIM_STRATEGIES), z.number().int().positive()]);

/** A parsed `cat_emb_dim`. */
export type CatEmbDim = z.infer<typeof catEmbDimSchema>;

const CAP = 50;

/** The embedding width of a column with `cardinality` categories under `strategy`. */
export const embeddingDim = (strategy: CatEmbDim, cardinality: number): number => {
  if (typeof strategy === 'number') return strategy;
  switch (strategy) {
    case 'fastai':
      return Math.min(CAP, Math.ceil(1.6 * cardinality ** 0.56));
    case 'sqrt':
      return Math.min(CAP, Math.ceil(Math.sqrt(cardinality)));
    case 'half':
      return Math.min(CAP, Math.floor((cardinality + 1) / 2));
  }
};
