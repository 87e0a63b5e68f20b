/**
 * NeuralForecast's training sampler: each step takes the next `batch_size` series of a shuffled
 * epoch, pools their windows and draws `windows_batch_size` of them (with replacement only when
 * fewer exist).
 */
import type { WindowRef } from './refs.js';
import { Rng } from '@nflab/contracts';

/** Options of {@link createTrainSampler}. */
export interface TrainSamplerOptions<T = WindowRef> {
  /**
   * Training windows of each series (from `trainWindowRefs`); a multivariate model passes one pool
   * of window groups (from `jointTrainWindowRefs`), as NeuralForecast loads every series at once.
   */
  readonly refs: readonly (readonly T[])[];
  readonly batchSize: number;
  readonly windowsBatchSize: number;
  /** Skip an epoch's last batch when it has fewer than `batchSize` series. */
  readonly dropLast: boolean;
  readonly seed: number;
}

/** Draws the windows of one training step. */
export interface TrainSampler<T = WindowRef> {
  next(): T[];
}

/** Creates the seeded sampler; the same seed gives the same sequence of batches. */
export const createTrainSampler = <T = WindowRef>(options: TrainSamplerOptions<T>): TrainSampler<T> => {
  // Its own stream (salted), so changing a model's size never changes which windows a step trains on.
  const rng = new Rng(options.seed, 'windows');
  const n = options.refs.length;
  let order: number[] = [];
  let cursor = 0;
  const nextSeries = (): number[] => {
    const remaining = order.length - cursor;
    if (remaining <= 0 || (options.dropLast && remaining < options.batchSize && n >= options.batchSize)) {
      order = rng.permutation(n);
      cursor = 0;
    }
    const batch = order.slice(cursor, cursor + options.batchSize);
    cursor += options.batchSize;
    return batch;
  };
  return {
    next: () => {
      // A batch whose series have no windows is skipped; trainWindowRefs guarantees some series has one.
      for (;;) {
        const pool = nextSeries().flatMap((s) => options.refs[s] ?? []);
        if (pool.length > 0)
          return rng.choice(pool.length, options.windowsBatchSize).map((i) => pool[i] as T);
      }
    },
  };
};

/** Splits `items` into consecutive chunks of `size` (size <= 0 means one chunk). */
export const chunk = <T>(items: readonly T[], size: number): T[][] => {
  if (size <= 0 || items.length <= size) return [items.slice()];
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};
