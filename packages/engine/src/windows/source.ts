/**
 * The arrays windows are cut from, one per series, with exogenous columns already in the model's
 * channel order. Every position at or after a window's `limit` reads as padding (value 0, mask 0),
 * which is how training windows stop before the validation and test parts.
 */
import type { Series } from '../data/panel.js';

/** One series as windows read it. */
export interface WindowSource {
  /** Target, 0 where missing. */
  readonly y: Float64Array;
  /** 1 where observed. */
  readonly mask: Float64Array;
  /** Future exogenous columns (may be longer than `y` at predict time: the horizon's values). */
  readonly futr: readonly Float64Array[];
  /** Historical exogenous columns. */
  readonly hist: readonly Float64Array[];
  /** Static values. */
  readonly stat: readonly number[];
}

/** Which exogenous columns a model reads, in order. */
export interface ExogLists {
  readonly futr: readonly string[];
  readonly hist: readonly string[];
  readonly stat: readonly string[];
}

/** Options of {@link toWindowSource}. */
export interface ToWindowSourceOptions {
  readonly series: Series;
  readonly exog: ExogLists;
  readonly staticValues?: Readonly<Record<string, number>>;
  /** Future exogenous values after the series end (predict), by column. */
  readonly futureExog?: Readonly<Record<string, ArrayLike<number>>>;
  /** Number of future steps to append (y and mask 0 there). @default 0 */
  readonly extend?: number;
}

/** Builds the window source of one series, appending `extend` future steps for prediction. */
export const toWindowSource = (options: ToWindowSourceOptions): WindowSource => {
  const { series, exog, extend = 0 } = options;
  const n = series.y.length;
  const grow = (values: Float64Array, future?: ArrayLike<number>): Float64Array => {
    if (extend === 0) return values;
    const out = new Float64Array(n + extend);
    out.set(values);
    if (future) for (let i = 0; i < extend; i += 1) out[n + i] = future[i] ?? 0;
    return out;
  };
  const column = (name: string): Float64Array => series.exog[name] ?? new Float64Array(n);
  return {
    y: grow(series.y),
    mask: grow(series.mask),
    futr: exog.futr.map((name) => grow(column(name), options.futureExog?.[name])),
    hist: exog.hist.map((name) => grow(column(name))),
    stat: exog.stat.map((name) => options.staticValues?.[name] ?? 0),
  };
};
