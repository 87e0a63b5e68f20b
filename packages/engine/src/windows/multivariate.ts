/**
 * Windows of a multivariate model (NeuralForecast's `MULTIVARIATE = True` paths of `_create_windows`):
 * one window covers every series over the same positions. Series are right-aligned as
 * NeuralForecast's TimeSeriesDataset stores them — each is left-padded with zeros (mask 0) to the
 * longest one, so their last points line up — and a window is a group of N refs, one per series,
 * in panel order. The availability rule counts observed points over all series at once:
 * at least max(1, ⌊L·f_in·N⌋) in the input part and max(1, ⌊H·f_out·N⌋) in the horizon.
 */
import { ConfigError, Rng } from '@nflab/contracts';
import { countObserved, type TrainRefsOptions, type ValidationRefsOptions, type WindowRef } from './refs.js';

/** A multivariate window: one ref per series, in panel order. */
export type WindowGroup = readonly WindowRef[];

/** Where each series starts on the shared axis: the longest series' length minus its own. */
export const seriesOffsets = (lengths: readonly number[]): number[] => {
  const longest = Math.max(0, ...lengths);
  return lengths.map((length) => longest - length);
};

/** The group of refs of the window whose input part starts at shared position `start`. */
const groupAt = (start: number, offsets: readonly number[], limits: readonly number[]): WindowRef[] =>
  offsets.map((offset, series) => ({ series, start: start - offset, limit: limits[series] as number }));

/**
 * Training windows over all series: the shared axis up to `longest - holdout`, left-padded with
 * L-1 zeros when `startPaddingEnabled`, right-padded with `rightPadding` zeros, unfolded every
 * `stepSize`, kept by the summed availability rule (module comment).
 */
export const jointTrainWindowRefs = (options: TrainRefsOptions): WindowGroup[] => {
  const { inputSize: L, h: H, stepSize, availability, sources } = options;
  const n = sources.length;
  const minIn = Math.max(1, Math.floor(L * availability[0] * n));
  const minOut = Math.max(1, Math.floor(H * availability[1] * n));
  const lengths = sources.map((s) => s.y.length);
  const offsets = seriesOffsets(lengths);
  const limits = lengths.map((length) => length - options.holdout);
  const shared = Math.max(0, ...lengths) - options.holdout;
  const padLeft = options.startPaddingEnabled ? L - 1 : 0;
  const padRight = options.rightPadding ?? H;
  const groups: WindowGroup[] = [];
  for (let p = 0; p <= padLeft + shared + padRight - L - H; p += stepSize) {
    const group = groupAt(p - padLeft, offsets, limits);
    let observedIn = 0;
    let observedOut = 0;
    for (const ref of group) {
      const source = sources[ref.series];
      if (!source) continue;
      observedIn += countObserved(source, ref.start, ref.start + L, ref.limit);
      observedOut += countObserved(source, ref.start + L, ref.start + L + H, ref.limit);
    }
    if (observedIn >= minIn && observedOut >= minOut) groups.push(group);
  }
  if (groups.length === 0) {
    throw new ConfigError(
      `no training windows: the ${n} series taken together are too short for ${options.sizes ?? `input_size ${L} + h ${H}`} after holding out ${options.holdout} points (or too sparse for training_data_availability_threshold, counted over all series); use a smaller input_size, less validation data or start_padding_enabled`,
    );
  }
  return groups;
};

/**
 * The series order of each training step, as NeuralForecast 3.2 trains a multivariate model: its
 * train loader shuffles the series (`shuffle_train=True`) and holds them all in one batch
 * (batch_size ≥ n_series), so every step — one epoch — lists the series in a fresh random order,
 * the same for all its windows (static rows too). Positional parts of a network (TSMixer's
 * feature mixing, per-series RevIN gains) therefore train on whichever series lands in a slot;
 * inference keeps the panel order. The order comes from its own salted stream, so the windows a
 * step draws do not change.
 */
export const createSeriesShuffler = (
  nSeries: number,
  seed: number,
): ((groups: readonly WindowGroup[]) => WindowRef[]) => {
  const rng = new Rng(seed, 'series-order');
  return (groups) => {
    const order = rng.permutation(nSeries);
    return groups.flatMap((group) => order.map((series) => group[series] as WindowRef));
  };
};

/** Validation windows over all series: horizons inside the last `valSize` shared positions before the test part. */
export const jointValidationRefs = (options: ValidationRefsOptions): WindowGroup[] => {
  const { inputSize: L, h: H, valSize, stepSize, testSize = 0 } = options;
  if (valSize === 0) return [];
  if (valSize < H)
    throw new ConfigError(`val_size ${valSize} is shorter than h ${H}; use val_size 0 or at least h`);
  const lengths = options.sources.map((s) => s.y.length);
  const offsets = seriesOffsets(lengths);
  const limits = lengths.map((length) => length - testSize);
  const end = Math.max(0, ...lengths) - testSize;
  const groups: WindowGroup[] = [];
  for (let cut = end - valSize; cut + H <= end; cut += stepSize)
    groups.push(groupAt(cut - L, offsets, limits));
  return groups;
};

/** A window to forecast: a series and the position (in its own coordinates) its horizon starts at. */
export interface SeriesCutoff {
  readonly series: number;
  readonly position: number;
}

/**
 * Groups forecast cutoffs into multivariate windows: cutoffs at the same shared position form one
 * window (every series is forecast there, requested or not). `index[i]` is cutoff i's row in the
 * flattened groups (group · N + series).
 */
export const cutoffGroups = (options: {
  readonly cutoffs: readonly SeriesCutoff[];
  /** History length of each series (positions before its appended future part). */
  readonly lengths: readonly number[];
  /** Visibility limit of each series' source (its history plus any appended future steps). */
  readonly limits: readonly number[];
  readonly inputSize: number;
}): { readonly groups: WindowGroup[]; readonly index: number[] } => {
  const offsets = seriesOffsets(options.lengths);
  const n = options.lengths.length;
  const order = new Map<number, number>();
  const groups: WindowGroup[] = [];
  const index = options.cutoffs.map(({ series, position }) => {
    const shared = position + (offsets[series] as number);
    let g = order.get(shared);
    if (g === undefined) {
      g = groups.length;
      order.set(shared, g);
      groups.push(groupAt(shared - options.inputSize, offsets, options.limits));
    }
    return g * n + series;
  });
  return { groups, index };
};
