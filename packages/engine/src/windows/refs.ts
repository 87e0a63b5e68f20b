/**
 * Where windows start, as NeuralForecast cuts them. A window covers positions
 * [start, start + L + H) of its series; positions before 0 or at/after `limit` are padding.
 */
import { ConfigError } from '@nflab/contracts';
import type { WindowSource } from './source.js';

/** One window: its series, first position (negative = left padding) and the visibility limit. */
export interface WindowRef {
  readonly series: number;
  readonly start: number;
  /** Positions >= limit read as padding. */
  readonly limit: number;
}

/** Sizes and sampling settings shared by the window functions. */
export interface WindowShape {
  /** input_size (L). */
  readonly inputSize: number;
  /** h (H). */
  readonly h: number;
}

/** Options of {@link trainWindowRefs}. */
export interface TrainRefsOptions extends WindowShape {
  readonly sources: readonly WindowSource[];
  /** Points held out at the end of each series for validation and test. */
  readonly holdout: number;
  readonly stepSize: number;
  readonly startPaddingEnabled: boolean;
  /** Minimum observed fraction of the input part and of the horizon part. */
  readonly availability: readonly [number, number];
  /**
   * Zeros appended after each series before unfolding. NeuralForecast pads with the model's h,
   * which differs from H only while a recurrent model trains on h_train steps. @default h
   */
  readonly rightPadding?: number;
  /** How the too-short error names the window sizes. @default `input_size ${inputSize} + h ${h}` */
  readonly sizes?: string;
}

/** Observed points of `source` in positions [from, to) below `limit`. */
export const countObserved = (source: WindowSource, from: number, to: number, limit: number): number => {
  let total = 0;
  for (let t = Math.max(0, from); t < Math.min(to, limit); t += 1) total += source.mask[t] as number;
  return total;
};

/**
 * Training windows per series: the series up to `length - holdout`, left-padded with L-1 zeros when
 * `startPaddingEnabled`, right-padded with `rightPadding` (H) zeros, unfolded every `stepSize`; a
 * window is kept when its input part has at least max(1, floor(L·f_in)) observed points and its
 * horizon at least max(1, floor(H·f_out)).
 */
export const trainWindowRefs = (options: TrainRefsOptions): WindowRef[][] => {
  const { inputSize: L, h: H, stepSize, availability } = options;
  const minIn = Math.max(1, Math.floor(L * availability[0]));
  const minOut = Math.max(1, Math.floor(H * availability[1]));
  const padLeft = options.startPaddingEnabled ? L - 1 : 0;
  const padRight = options.rightPadding ?? H;
  const perSeries = options.sources.map((source, series) => {
    const limit = source.y.length - options.holdout;
    const refs: WindowRef[] = [];
    // Padded length is padLeft + limit + padRight; unfold starts at padded offsets 0, step, … <= padded - (L + H).
    for (let p = 0; p <= padLeft + limit + padRight - L - H; p += stepSize) {
      const start = p - padLeft;
      if (countObserved(source, start, start + L, limit) < minIn) continue;
      if (countObserved(source, start + L, start + L + H, limit) < minOut) continue;
      refs.push({ series, start, limit });
    }
    return refs;
  });
  if (perSeries.every((refs) => refs.length === 0)) {
    throw new ConfigError(
      `no training windows: every series is too short for ${options.sizes ?? `input_size ${L} + h ${H}`} after holding out ${options.holdout} points (or too sparse for training_data_availability_threshold); use a smaller input_size, less validation data or start_padding_enabled`,
    );
  }
  return perSeries;
};

/** Options of {@link validationWindowRefs}. */
export interface ValidationRefsOptions extends WindowShape {
  readonly sources: readonly WindowSource[];
  readonly valSize: number;
  /** Points after the validation part (cross-validation's test part). @default 0 */
  readonly testSize?: number;
  readonly stepSize: number;
}

/** Validation windows: horizons inside the last `valSize` points before the test part, every `stepSize`. */
export const validationWindowRefs = (options: ValidationRefsOptions): WindowRef[] => {
  const { inputSize: L, h: H, valSize, stepSize, testSize = 0 } = options;
  if (valSize === 0) return [];
  if (valSize < H)
    throw new ConfigError(`val_size ${valSize} is shorter than h ${H}; use val_size 0 or at least h`);
  const refs: WindowRef[] = [];
  options.sources.forEach((source, series) => {
    const limit = source.y.length - testSize;
    for (let cut = limit - valSize; cut + H <= limit; cut += stepSize)
      refs.push({ series, start: cut - L, limit });
  });
  return refs;
};

/** The window whose input part ends just before position `cutoff` (its horizon starts at `cutoff`). */
export const refAtCutoff = (series: number, cutoff: number, inputSize: number, limit: number): WindowRef => ({
  series,
  start: cutoff - inputSize,
  limit,
});
