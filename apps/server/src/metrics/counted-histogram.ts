/**
 * A Prometheus histogram whose buckets were counted elsewhere — in SQL over the runs table — and
 * are replaced whole on each scrape. prom-client's Histogram only counts observations it sees
 * itself, which would start from zero at every restart and differ between lab processes.
 */
import {
  Histogram,
  type HistogramConfiguration,
  type LabelValues,
  type MetricObjectWithValues,
  type MetricValueWithName,
} from 'prom-client';
import type { HistogramCounts } from '@nflab/store';

/** One labelled series of a {@link CountedHistogram}. */
export interface CountedSeries<Label extends string> {
  readonly labels: LabelValues<Label>;
  readonly counts: HistogramCounts;
}

type Exported<Label extends string> = MetricObjectWithValues<MetricValueWithName<Label>>;

/**
 * A histogram set from cumulative bucket counts (one per bucket bound, then +Inf) and a sum, with
 * {@link CountedHistogram.setCounts}; `observe` has no effect on what it exports.
 */
export class CountedHistogram<Label extends string = string> extends Histogram<Label> {
  // prom-client's typings do not declare the name and help Histogram keeps; these copies are typed.
  readonly #name: string;
  readonly #help: string;
  readonly #bounds: readonly number[];
  // Not a #private field: Histogram's constructor calls reset() before such fields exist.
  private series: readonly CountedSeries<Label>[] = [];

  constructor(config: HistogramConfiguration<Label> & { readonly buckets: number[] }) {
    super(config);
    this.#name = config.name;
    this.#help = config.help;
    this.#bounds = [...config.buckets];
    if (this.#bounds.some((bound, i) => i > 0 && bound <= (this.#bounds[i - 1] as number)))
      throw new Error(`${config.name}: bucket bounds must ascend`);
  }

  /** Replaces every series with `series`; a bound missing from a series' counts is a bug. */
  setCounts(series: readonly CountedSeries<Label>[]): void {
    for (const { counts } of series) {
      if (counts.buckets.length !== this.#bounds.length + 1)
        throw new Error(
          `${this.#name}: ${counts.buckets.length} bucket counts for ${this.#bounds.length} bounds + Inf`,
        );
    }
    this.series = series;
  }

  /** Drops every series (the source could not be read). */
  override reset(): void {
    super.reset();
    this.series = [];
  }

  override async get(): Promise<Exported<Label>> {
    const bounds = this.#bounds;
    const values = this.series.flatMap(({ labels, counts }) => {
      const count = counts.buckets[bounds.length] ?? 0;
      // `le` is no label of the metric's own, so the series' labels are widened to carry it.
      const bucket = (le: number | string, value: number): MetricValueWithName<Label> => ({
        metricName: `${this.#name}_bucket`,
        labels: { ...labels, le } as LabelValues<Label>,
        value,
      });
      return [
        ...bounds.map((le, i) => bucket(le, counts.buckets[i] ?? 0)),
        bucket('+Inf', count),
        { metricName: `${this.#name}_sum`, labels, value: counts.sum },
        { metricName: `${this.#name}_count`, labels, value: count },
      ];
    });
    const metric = { name: this.#name, help: this.#help, type: 'histogram', aggregator: 'sum', values };
    // prom-client's typings declare `type` as a numeric enum that its code never uses: the registry
    // prints this string, as Histogram's own get() returns it.
    return metric as unknown as Exported<Label>;
  }

  /** prom-client's registry formats a histogram through this method when it has one (Histogram does). */
  async getForPromString(): Promise<Exported<Label>> {
    return this.get();
  }
}
