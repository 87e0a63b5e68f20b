/**
 * What explanations of a fitted model's exogenous inputs need: evaluation windows (the last ones
 * before the end of a series, as cross-validation cuts them), each window's exogenous inputs
 * exactly as the network reads them (after the local and the window scaler), and a forecast and a
 * gradient of the model with those inputs replaced — every other input of a window (its history,
 * mask and target scale) held fixed. Forecasts are point forecasts in the original space.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@nflab/contracts';
import { ensureDefaultBackend } from '../backend/backend.js';
import { formatTime } from '../data/freq.js';
import { buildPanel, type Panel, type StaticRow } from '../data/panel.js';
import { exogRowLength, type ExogForwardModel, type FixedWindowParts } from '../training/exog-forward.js';
import { batchPreparation, prepareBatch } from '../training/prepare-batch.js';
import { windowShapes } from '../training/recurrent.js';
import { assembleWindows, disposeWindows } from '../windows/assemble.js';
import { refAtCutoff, type WindowRef } from '../windows/refs.js';
import { chunk } from '../windows/sampler.js';
import { toWindowSource } from '../windows/source.js';
import { createExplainer, type WindowExplainer } from './explain-model.js';
import { checkExogColumns, type CoreModel } from './fitted-model.js';
import type { Cutoff } from './forecast.js';
import { applyLocalScalers, fitLocalScalers, type LocalScalerState } from './local-scaling.js';
import type { NeuralForecast } from './neural-forecast.js';
import type { FrameInput } from './types.js';

/** Options of {@link explainWindows}. */
export interface ExplainWindowsOptions {
  /** Frame to cut the windows from; the fitted data when absent. */
  readonly df?: FrameInput;
  /** Static values of `df`'s series; the fitted ones when absent. */
  readonly staticDf?: readonly StaticRow[];
  /** Most windows, taken newest first, one per series in turn. */
  readonly maxWindows: number;
  /** Rows between the cutoffs of one series' windows. @default h (horizons do not overlap) */
  readonly stepSize?: number;
  /** The model to explain, by its column name. @default the first model */
  readonly model?: string;
}

/**
 * Cutoffs of the evaluation windows: per series at T − h, T − h − step, … while the input part is
 * complete and the horizon holds an observed y; the k-th newest of every series before any
 * (k+1)-th, up to `maxWindows`; returned by series, oldest first.
 */
export const evaluationCutoffs = (
  panel: Panel,
  options: {
    readonly h: number;
    readonly inputSize: number;
    readonly stepSize: number;
    readonly maxWindows: number;
  },
): Cutoff[] => {
  const { h, inputSize, stepSize, maxWindows } = options;
  const perSeries = panel.series.map((s) => {
    const positions: number[] = [];
    for (let p = s.y.length - h; p >= inputSize; p -= stepSize) {
      let observed = false;
      for (let j = p; j < p + h; j += 1) observed ||= s.mask[j] === 1;
      if (observed) positions.push(p);
    }
    return positions; // newest first
  });
  const taken = perSeries.map(() => 0);
  let left = maxWindows;
  for (let k = 0; left > 0 && perSeries.some((p) => p.length > k); k += 1) {
    perSeries.forEach((positions, series) => {
      if (left > 0 && positions.length > k) {
        taken[series] = k + 1;
        left -= 1;
      }
    });
  }
  const cutoffs = perSeries.flatMap((positions, series) =>
    positions
      .slice(0, taken[series])
      .reverse()
      .map((position) => ({ series, position })),
  );
  if (cutoffs.length === 0) {
    throw new ConfigError(
      `no evaluation window: every series needs input_size ${inputSize} + h ${h} rows with an observed y in the horizon`,
    );
  }
  return cutoffs;
};

/** The model's exogenous inputs of every window, laid out as exogRowLength says, and the fixed parts. */
const windowParts = (
  model: CoreModel,
  forward: Omit<ExogForwardModel, 'fixed'>,
  scaled: Panel,
  refs: readonly WindowRef[],
): { inputs: Float64Array[]; fixed: FixedWindowParts } => {
  const { shape, sizes } = forward;
  const L = shape.inputSize;
  const sources = scaled.series.map((series) =>
    toWindowSource({
      series,
      exog: model.exog,
      ...(scaled.static[series.id] ? { staticValues: scaled.static[series.id] } : {}),
    }),
  );
  const w = refs.length;
  const fixed = {
    insampleY: new Float32Array(w * L),
    insampleMask: new Float32Array(w * L),
    loc: new Float32Array(w),
    scale: new Float32Array(w),
  };
  const inputs: Float64Array[] = [];
  const prep = batchPreparation(model.common, model.network ?? {}, model.revin);
  let offset = 0;
  for (const part of chunk(refs, 1024)) {
    const raw = assembleWindows(sources, part, shape);
    const tensors = tf.tidy(() => {
      const { batch, scale } = prepareBatch(raw, prep);
      const b = part.length;
      // [B, L+H, F] | [B, L, X] | [B, S] -> [B, P], the row layout the forward reads.
      const pieces = [
        batch.futrExog ? tf.reshape(batch.futrExog, [b, -1]) : null,
        batch.histExog ? tf.reshape(batch.histExog, [b, -1]) : null,
        batch.statExog ?? null,
      ].filter((t): t is tf.Tensor2D => t !== null);
      const exog = pieces.length > 0 ? tf.concat(pieces, 1) : tf.zeros([b, 0]);
      return [batch.insampleY, batch.insampleMask, scale.loc, scale.scale, exog];
    });
    const [y, mask, loc, scale, exog] = tensors.map((t) => t.dataSync() as Float32Array);
    fixed.insampleY.set(y as Float32Array, offset * L);
    fixed.insampleMask.set(mask as Float32Array, offset * L);
    fixed.loc.set(loc as Float32Array, offset);
    fixed.scale.set(scale as Float32Array, offset);
    const p = exogRowLength(shape, sizes);
    for (let i = 0; i < part.length; i += 1)
      inputs.push(Float64Array.from((exog as Float32Array).subarray(i * p, (i + 1) * p)));
    tf.dispose(tensors);
    disposeWindows(raw);
    offset += part.length;
  }
  return { inputs, fixed };
};

/** The panel and local scalers the windows are cut from: `df`'s (new series get their own scalers) or the fitted ones. */
export const panelAndScalers = (
  nf: NeuralForecast,
  options: Pick<ExplainWindowsOptions, 'df' | 'staticDf'>,
): { panel: Panel; scalers: LocalScalerState | null } => {
  const fitted = nf.state;
  if (!fitted) throw new ConfigError('the models are not fitted; call fit (or NeuralForecast.load) first');
  if (!options.df) return fitted;
  const staticRows =
    options.staticDf ??
    Object.entries(fitted.panel.static).map(([id, values]) => ({ unique_id: id, ...values }) as StaticRow);
  const panel = buildPanel({
    data: options.df,
    freq: nf.freq,
    missing: nf.missing,
    ...(staticRows.length > 0 ? { staticRows } : {}),
  });
  const scalers = nf.localScalerType
    ? fitLocalScalers(panel, nf.localScalerType, fitted.scalers ?? {})
    : fitted.scalers;
  return { panel, scalers };
};

/**
 * Evaluation windows of a fitted model and a forecast / gradient over their exogenous inputs; see
 * the module comment. Valid until `nf` is disposed. A ConfigError when the model takes no
 * exogenous column (nothing to explain) or no window fits.
 */
export const explainWindows = async (
  nf: NeuralForecast,
  options: ExplainWindowsOptions,
): Promise<WindowExplainer> => {
  await ensureDefaultBackend();
  const model = options.model ? nf.models.find((m) => m.name === options.model) : nf.models[0];
  if (!model) {
    throw new ConfigError(
      `model '${options.model}' is not in the forecaster; its models are ${nf.models.map((m) => m.name).join(', ')}`,
    );
  }
  const network = model.network;
  if (!network) throw new ConfigError(`model '${model.name}' is not fitted; call fit first`);
  if (network.nSeries !== undefined) {
    // Its windows perturb one series' exogenous row at a time; a multivariate forward needs all series together.
    throw new ConfigError(
      `model '${model.name}' (${model.spec.label}) is multivariate; exogenous explanations are available for univariate models only`,
    );
  }
  const { exog } = model;
  if (exog.futr.length + exog.hist.length + exog.stat.length === 0) {
    throw new ConfigError(
      `model '${model.name}' was trained without exogenous columns (futr_exog_list, hist_exog_list, stat_exog_list are empty); there is nothing to explain`,
    );
  }
  const { h } = model.common;
  const stepSize = options.stepSize ?? h;
  if (!Number.isInteger(stepSize) || stepSize < 1)
    throw new ConfigError(`stepSize must be a positive integer; got ${stepSize}`);
  if (!Number.isInteger(options.maxWindows) || options.maxWindows < 1)
    throw new ConfigError(`maxWindows must be a positive integer; got ${options.maxWindows}`);
  const { panel, scalers } = panelAndScalers(nf, options);
  checkExogColumns(model, panel);
  const shape = windowShapes(model.common, network).predict;
  const cutoffs = evaluationCutoffs(panel, {
    h,
    inputSize: shape.inputSize,
    stepSize,
    maxWindows: options.maxWindows,
  });
  const scaled = scalers ? applyLocalScalers(panel, scalers) : panel;
  const sizes = { f: exog.futr.length, x: exog.hist.length, s: exog.stat.length };
  const forward = { network, loss: model.loss, config: model.common, shape, sizes };
  const refs = cutoffs.map((c) =>
    refAtCutoff(
      c.series,
      c.position,
      shape.inputSize,
      (panel.series[c.series] as Panel['series'][number]).y.length,
    ),
  );
  const { inputs, fixed } = windowParts(model, forward, scaled, refs);
  const windows = cutoffs.map(({ series, position }) => {
    const s = panel.series[series] as Panel['series'][number];
    return {
      uniqueId: s.id,
      cutoff: formatTime(nf.freq, s.time[position - 1] as number),
      actual: Array.from({ length: h }, (_, j) =>
        s.mask[position + j] === 1 ? (s.y[position + j] as number) : null,
      ),
    };
  });
  return createExplainer({ model, forward: { ...forward, fixed }, windows, inputs, scalers });
};
