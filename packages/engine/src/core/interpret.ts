/**
 * What a fitted TFT weighed over windows of its data, as NeuralForecast's `TFT.feature_importances()`
 * and `TFT.attention_weights()` report it after a forward pass: the variable-selection weights of
 * the static, past (encoder) and future (decoder) inputs, named by column, and the attention over
 * the window — each the mean over the windows (NeuralForecast's `mean_on_batch`) and, for the
 * attention, over the heads. NeuralForecast averages over its last prediction batch; here the batch
 * is the newest windows of the fitted (or given) data, cut as cross-validation cuts them.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@nflab/contracts';
import { ensureDefaultBackend } from '../backend/backend.js';
import type { StaticRow } from '../data/panel.js';
import type { TftNetwork } from '../models/tft/tft.js';
import { prepareBatch } from '../training/prepare-batch.js';
import { windowShapes } from '../training/recurrent.js';
import { assembleWindows, disposeWindows } from '../windows/assemble.js';
import { refAtCutoff } from '../windows/refs.js';
import { chunk } from '../windows/sampler.js';
import { toWindowSource } from '../windows/source.js';
import { evaluationCutoffs, panelAndScalers } from './explain.js';
import { checkExogColumns, type CoreModel } from './fitted-model.js';
import { applyLocalScalers } from './local-scaling.js';
import type { NeuralForecast } from './neural-forecast.js';
import type { FrameInput } from './types.js';

/** Name of the past input that is the target itself (NeuralForecast's `observed_target`). */
export const OBSERVED_TARGET = 'observed_target';
/** Name of the one future input of a TFT without futr_* columns: the last target, repeated. */
export const REPEATED_TARGET = 'repeated_target';

/** Selection weights of one group of variables. */
export interface SelectionWeights {
  /** The group's inputs in the network's order. */
  readonly variables: readonly string[];
  /** Mean weight of each variable over the windows (and steps); sums to 1. */
  readonly mean: readonly number[];
  /** [steps][variables]: the mean weights at each input (past) or horizon (future) step; absent for static. */
  readonly overTime?: readonly (readonly number[])[];
}

/** A fitted TFT's interpretation over a set of windows. */
export interface TftInterpretationSummary {
  /** Forecast column of the model. */
  readonly model: string;
  /** L: steps of the input window. */
  readonly inputSize: number;
  /** H: steps of the horizon. */
  readonly h: number;
  /** How many windows the means are over. */
  readonly windows: number;
  /** stat_* columns; null when the model has none. */
  readonly static: SelectionWeights | null;
  /** Encoder inputs over the input window: hist_* columns, futr_* columns (or the repeated target), the target. */
  readonly past: SelectionWeights;
  /** Decoder inputs over the horizon: futr_* columns; null when the model has none (its one input weighs 1). */
  readonly future: SelectionWeights | null;
  /**
   * [L+H][L+H]: mean attention of each query step (row) over the key steps (columns; 0..L-1 the
   * input window, L.. the horizon), causal, so each row sums to 1 over columns 0..row.
   */
  readonly attention: readonly (readonly number[])[];
}

/** Options of {@link interpretTft}. */
export interface InterpretTftOptions {
  /** Frame to cut the windows from; the fitted data when absent. */
  readonly df?: FrameInput;
  /** Static values of `df`'s series; the fitted ones when absent. */
  readonly staticDf?: readonly StaticRow[];
  /** Most windows, taken newest first, one per series in turn. @default 64 */
  readonly maxWindows?: number;
  /** Rows between the cutoffs of one series' windows. @default 1 */
  readonly stepSize?: number;
  /** The TFT to interpret, by its column name. @default the first TFT of the forecaster */
  readonly model?: string;
}

/** Windows per interpret call: bounds the memory of the per-step selection networks. */
const BATCH_WINDOWS = 128;

const hasInterpret = (network: unknown): network is TftNetwork =>
  typeof (network as Partial<TftNetwork> | undefined)?.interpret === 'function';

/** Whether the forecaster holds a fitted model {@link interpretTft} can interpret (a TFT). */
export const canInterpret = (nf: NeuralForecast): boolean => nf.models.some((m) => hasInterpret(m.network));

/** The model to interpret: the named one, else the first whose network can say what it weighed. */
const pickModel = (nf: NeuralForecast, name: string | undefined): CoreModel & { network: TftNetwork } => {
  const model = name
    ? nf.models.find((m) => m.name === name)
    : (nf.models.find((m) => hasInterpret(m.network)) ?? nf.models[0]);
  if (!model) {
    throw new ConfigError(
      `model '${name}' is not in the forecaster; its models are ${nf.models.map((m) => m.name).join(', ')}`,
    );
  }
  if (!model.network) throw new ConfigError(`model '${model.name}' is not fitted; call fit first`);
  if (!hasInterpret(model.network)) {
    throw new ConfigError(
      `model '${model.name}' (${model.spec.label}) has no variable-selection or attention weights to report; only TFT has`,
    );
  }
  return model as CoreModel & { network: TftNetwork };
};

/** Running sums of the batch-summed weights, divided by the window count at the end. */
interface Sums {
  history: Float64Array;
  future: Float64Array;
  static: Float64Array;
  attention: Float64Array;
}

const addInto = (into: Float64Array, values: ArrayLike<number>): void => {
  for (let i = 0; i < into.length; i += 1) into[i] = (into[i] as number) + (values[i] as number);
};

/** [rows·cols] sums / n -> rows of `cols` means. */
const rowsOf = (sums: Float64Array, cols: number, n: number): number[][] =>
  Array.from({ length: sums.length / cols }, (_, r) =>
    Array.from(sums.subarray(r * cols, (r + 1) * cols), (v) => v / n),
  );

/** Column means of a [steps][variables] table. */
const columnMeans = (table: readonly (readonly number[])[]): number[] =>
  (table[0] ?? []).map((_, c) => table.reduce((sum, row) => sum + (row[c] as number), 0) / table.length);

/**
 * The selection and attention weights of a fitted TFT, averaged over the newest windows of its
 * data; see the module comment. A ConfigError when the model is not a fitted TFT or no window fits.
 */
export const interpretTft = async (
  nf: NeuralForecast,
  options: InterpretTftOptions = {},
): Promise<TftInterpretationSummary> => {
  await ensureDefaultBackend();
  const model = pickModel(nf, options.model);
  const { maxWindows = 64, stepSize = 1 } = options;
  if (!Number.isInteger(stepSize) || stepSize < 1)
    throw new ConfigError(`stepSize must be a positive integer; got ${stepSize}`);
  if (!Number.isInteger(maxWindows) || maxWindows < 1)
    throw new ConfigError(`maxWindows must be a positive integer; got ${maxWindows}`);
  const network = model.network;
  const { panel, scalers } = panelAndScalers(nf, options);
  checkExogColumns(model, panel);
  const shape = windowShapes(model.common, network).predict;
  const { inputSize: L, h: H } = shape;
  const cutoffs = evaluationCutoffs(panel, { h: H, inputSize: L, stepSize, maxWindows });
  const scaled = scalers ? applyLocalScalers(panel, scalers) : panel;
  const sources = scaled.series.map((series) =>
    toWindowSource({
      series,
      exog: model.exog,
      ...(scaled.static[series.id] ? { staticValues: scaled.static[series.id] } : {}),
    }),
  );
  const { exog } = model;
  const futureNames = exog.futr.length > 0 ? [...exog.futr] : [REPEATED_TARGET];
  const pastNames = [...exog.hist, ...futureNames, OBSERVED_TARGET];
  const T = L + H;
  const sums: Sums = {
    history: new Float64Array(L * pastNames.length),
    future: new Float64Array(H * futureNames.length),
    static: new Float64Array(exog.stat.length),
    attention: new Float64Array(T * T),
  };
  const prep = {
    scalerType: model.common.scaler_type,
    excludeInsampleY: model.common.exclude_insample_y,
    ...(model.revin ? { revin: model.revin } : {}),
  };
  const refs = cutoffs.map((c) =>
    refAtCutoff(c.series, c.position, L, (panel.series[c.series] as (typeof panel.series)[number]).y.length),
  );
  for (const part of chunk(refs, BATCH_WINDOWS)) {
    const raw = assembleWindows(sources, part, shape);
    try {
      const summed = tf.tidy(() => {
        const seen = network.interpret(prepareBatch(raw, prep).batch);
        return [
          tf.sum(seen.history, 0), // [B, L, n] -> [L, n]
          tf.sum(seen.future, 0), // [B, H, F] -> [H, F]
          seen.static ? tf.sum(seen.static, 0) : tf.zeros([0]), // [B, S] -> [S]
          tf.sum(tf.mean(seen.attention, 1), 0), // [B, n_head, T, T] -> [T, T]
        ];
      });
      const [history, future, stat, attention] = summed.map((t) => t.dataSync());
      addInto(sums.history, history as Float32Array);
      addInto(sums.future, future as Float32Array);
      addInto(sums.static, stat as Float32Array);
      addInto(sums.attention, attention as Float32Array);
      tf.dispose(summed);
    } finally {
      disposeWindows(raw);
    }
  }
  const n = refs.length;
  const pastOverTime = rowsOf(sums.history, pastNames.length, n);
  const futureOverTime = rowsOf(sums.future, futureNames.length, n);
  return {
    model: model.name,
    inputSize: L,
    h: H,
    windows: n,
    static:
      exog.stat.length > 0
        ? { variables: [...exog.stat], mean: Array.from(sums.static, (v) => v / n) }
        : null,
    past: { variables: pastNames, mean: columnMeans(pastOverTime), overTime: pastOverTime },
    future:
      exog.futr.length > 0
        ? { variables: futureNames, mean: columnMeans(futureOverTime), overTime: futureOverTime }
        : null,
    attention: rowsOf(sums.attention, T, n),
  };
};
