/** Peak and mean of every series of a run's samples, kept as running totals so a long run costs O(1) memory. */
import { SAMPLED_SERIES, type ResourceSample, type SampledSeries, type SeriesStats } from './types.js';

interface Totals {
  peak: number | null;
  sum: number;
  count: number;
}

/** Running peak and mean of every series. */
export interface SeriesAccumulator {
  add(sample: ResourceSample): void;
  /** Peak (maximum) and arithmetic mean of each series over its non-null values; null where all were null. */
  stats(): Record<SampledSeries, SeriesStats>;
}

/** An empty {@link SeriesAccumulator}. */
export const createSeriesAccumulator = (): SeriesAccumulator => {
  const totals = new Map<SampledSeries, Totals>(
    SAMPLED_SERIES.map((series) => [series, { peak: null, sum: 0, count: 0 }]),
  );
  return {
    add: (sample) => {
      for (const [series, total] of totals) {
        const value = sample[series];
        if (value === null) continue;
        total.peak = total.peak === null ? value : Math.max(total.peak, value);
        total.sum += value;
        total.count += 1;
      }
    },
    stats: () =>
      Object.fromEntries(
        [...totals].map(([series, { peak, sum, count }]) => [
          series,
          { peak, mean: count === 0 ? null : sum / count },
        ]),
      ) as Record<SampledSeries, SeriesStats>,
  };
};

/**
 * Peak and mean of every numeric field of `samples`. The monitor's timer does not drift, so the
 * samples are equally spaced and the mean is an unweighted one.
 */
export const summarize = (samples: readonly ResourceSample[]): Record<SampledSeries, SeriesStats> => {
  const accumulator = createSeriesAccumulator();
  for (const sample of samples) accumulator.add(sample);
  return accumulator.stats();
};
