/**
 * Forecasting windows of a panel with one fitted model and turning the result into rows: the
 * shared step behind predict, crossValidation and predictInsample.
 */
import { ConfigError } from '@nflab/contracts';
import type { Panel } from '../data/panel.js';
import { forecastWindows } from '../training/inference.js';
import { cutoffGroups } from '../windows/multivariate.js';
import { refAtCutoff, type WindowRef } from '../windows/refs.js';
import { toWindowSource, type WindowSource } from '../windows/source.js';
import { outputColumns, type CoreModel } from './fitted-model.js';
import { invertTarget, type LocalScalerState } from './local-scaling.js';

/** One window to forecast: a series of the panel and the position its horizon starts at. */
export interface Cutoff {
  readonly series: number;
  /** Index of the first horizon step (= number of points used as history). */
  readonly position: number;
}

/** Options of {@link forecastCutoffs}. */
export interface ForecastCutoffsOptions {
  readonly model: CoreModel;
  /** The locally scaled panel. */
  readonly scaled: Panel;
  readonly scalers: LocalScalerState | null;
  readonly cutoffs: readonly Cutoff[];
  /** Scaled future exogenous values per series id and column, appended after each series (predict). */
  readonly future?: Readonly<Record<string, Readonly<Record<string, ArrayLike<number>>>>>;
}

/** Forecasts every cutoff; returns per cutoff a [H, N] array (row-major) in the original space. */
export const forecastCutoffs = async (options: ForecastCutoffsOptions): Promise<Float64Array[]> => {
  const { model, scaled, cutoffs } = options;
  const { h, input_size: L } = model.common;
  const network = model.network;
  if (!network) throw new ConfigError(`model '${model.name}' is not fitted; call fit first`);
  const extend = options.future ? h : 0;
  const sources = scaled.series.map((series) =>
    toWindowSource({
      series,
      exog: model.exog,
      ...(scaled.static[series.id] ? { staticValues: scaled.static[series.id] } : {}),
      ...(options.future?.[series.id] ? { futureExog: options.future[series.id] } : {}),
      extend,
    }),
  );
  // A recurrent network reads inference_input_size + 1 steps before the cutoff (NeuralForecast's RECURRENT shift).
  const inputSize = network.recurrent?.predictInputSize ?? L;
  const { refs, rowOf } = windowRefs({
    model,
    cutoffs,
    sources,
    inputSize,
    lengths: scaled.series.map((s) => s.y.length),
  });
  const flat = await forecastWindows({
    network,
    config: model.common,
    loss: model.loss,
    sources,
    refs,
    ...(model.revin ? { revin: model.revin } : {}),
  });
  const n = model.loss.outputNames.length;
  return cutoffs.map((cutoff, w) => {
    const id = (scaled.series[cutoff.series] as { id: string }).id;
    const row = rowOf(w);
    const block = flat.subarray(row * h * n, (row + 1) * h * n);
    const out = new Float64Array(h * n);
    for (let k = 0; k < n; k += 1) {
      const column = Array.from({ length: h }, (_, j) => block[j * n + k] as number);
      const inverted = invertTarget(options.scalers, id, column);
      for (let j = 0; j < h; j += 1) out[j * n + k] = inverted[j] as number;
    }
    return out;
  });
};

/**
 * The refs to forecast and, for each cutoff, its row among them. A univariate model reads one ref
 * per cutoff. A multivariate model forecasts whole windows: cutoffs at the same shared position
 * (series right-aligned) are one window of every series.
 */
const windowRefs = (options: {
  readonly model: CoreModel;
  readonly cutoffs: readonly Cutoff[];
  readonly sources: readonly WindowSource[];
  readonly inputSize: number;
  readonly lengths: readonly number[];
}): { refs: WindowRef[]; rowOf: (cutoff: number) => number } => {
  const { model, cutoffs, sources, inputSize } = options;
  const limits = sources.map((source) => source.y.length);
  const nSeries = model.network?.nSeries;
  if (nSeries === undefined) {
    const refs = cutoffs.map((c) => refAtCutoff(c.series, c.position, inputSize, limits[c.series] ?? 0));
    return { refs, rowOf: (w) => w };
  }
  checkPanelWidth(model, sources.length);
  const { groups, index } = cutoffGroups({ cutoffs, lengths: options.lengths, limits, inputSize });
  return { refs: groups.flat(), rowOf: (w) => index[w] as number };
};

/** A multivariate model forecasts exactly the n_series series it was built for. */
export const checkPanelWidth = (model: CoreModel, series: number): void => {
  const nSeries = model.modelConfig.n_series;
  if (model.spec.kind === 'multivariate' && nSeries !== series) {
    throw new ConfigError(
      `model '${model.name}' (${model.spec.label}) is multivariate and was built for n_series ${String(nSeries)}, but the data has ${series} series; set n_series to ${series} (multivariate models forecast all series of the panel together)`,
    );
  }
};

/** Indices of the output columns to report for `level` (all when undefined); a missing level is a ConfigError. */
export const columnsForLevel = (model: CoreModel, level: readonly number[] | undefined): number[] => {
  const names = outputColumns(model);
  const all = names.map((_, i) => i);
  if (level === undefined) return all;
  const suffixes = model.loss.outputNames;
  const isInterval = (s: string): boolean => /-(lo|hi)-/.test(s);
  const keep = all.filter((i) => !isInterval(suffixes[i] as string));
  for (const l of level) {
    for (const side of ['lo', 'hi']) {
      const index = suffixes.indexOf(`-${side}-${l}`);
      if (index < 0) {
        const available = suffixes.filter(isInterval).map((s) => s.replace(/^-(lo|hi)-/, ''));
        throw new ConfigError(
          `model '${model.name}' (loss '${model.loss.id}') has no ${l}% interval; ${available.length > 0 ? `its levels are ${[...new Set(available)].join(', ')}` : 'its loss gives point forecasts only (use a quantile or distribution loss with level)'}`,
        );
      }
      keep.push(index);
    }
  }
  return keep;
};
