/**
 * The NeuralForecast-style core: several models fitted on one panel, with predict,
 * crossValidation (NeuralForecast's `cutoff` semantics), predictInsample, save and load.
 */
import { ConfigError } from '@nflab/contracts';
import { ensureDefaultBackend } from '../backend/backend.js';
import { buildVocab, vocabCodes, type CategoricalVocab } from '../categorical/vocab.js';
import { formatTime, parseFreq, type Freq } from '../data/freq.js';
import { buildPanel, headPanel, type DsValue, type MissingPolicy, type Panel } from '../data/panel.js';
import type { LocalScalerType } from '../scalers/types.js';
import { trainNetwork } from '../training/train.js';
import { toWindowSource } from '../windows/source.js';
import {
  buildNetwork,
  checkExogColumns,
  disposeNetwork,
  modelNames,
  outputColumns,
  resolveModel,
  type CoreModel,
} from './fitted-model.js';
import { drawingView } from './draws.js';
import { columnsForLevel, forecastCutoffs, type Cutoff } from './forecast.js';
import { futurePart } from './future.js';
import { applyLocalScalers, fitLocalScalers, type LocalScalerState } from './local-scaling.js';
import { loadCore, saveCore, type SaveOptions } from './persistence.js';
import type {
  CrossValidationOptions,
  CrossValidationRow,
  FitOptions,
  ForecastRow,
  ModelEntry,
  NeuralForecastOptions,
  PredictInsampleOptions,
  PredictOptions,
} from './types.js';

/** What `fit` leaves behind: the data it saw and the local scaler parameters. */
export interface FittedState {
  readonly panel: Panel;
  readonly scalers: LocalScalerState | null;
}

/** Fits and forecasts a set of models over a panel of series, as NeuralForecast's `NeuralForecast`. */
export class NeuralForecast {
  /** The models, in the order given. */
  readonly models: readonly CoreModel[];
  readonly freq: Freq;
  readonly localScalerType: LocalScalerType | null;
  readonly missing: MissingPolicy;
  readonly calendar: readonly DsValue[] | undefined;
  /** Set by fit / load. */
  state: FittedState | null = null;
  /** Declared cardinality of every categorical column of any model. */
  readonly categoricalCardinalities: ReadonlyMap<string, number>;
  /**
   * The categorical columns' vocabulary, built from the first data seen (fit or crossValidation)
   * and kept — as NeuralForecast's `categorical_vocab_` — so later data is coded the same way.
   */
  categoricalVocab: CategoricalVocab | null = null;

  constructor(options: NeuralForecastOptions) {
    if (options.models.length === 0) throw new ConfigError('models must list at least one model');
    this.freq = parseFreq(options.freq);
    this.localScalerType = options.localScalerType ?? null;
    this.missing = options.missing ?? 'reject';
    this.calendar = options.calendar;
    const names = modelNames(options.models);
    this.models = options.models.map((entry, i) => resolveModel(entry, names[i] as string));
    const hs = new Set(this.models.map((m) => m.common.h));
    if (hs.size > 1) throw new ConfigError(`every model needs the same h; got ${[...hs].join(', ')}`);
    this.categoricalCardinalities = sharedCardinalities(this.models);
  }

  /** The common horizon. */
  get h(): number {
    return (this.models[0] as CoreModel).common.h;
  }

  /** The model entries (for saving and for building a fresh copy). */
  get entries(): readonly ModelEntry[] {
    return this.models.map((m) => m.entry);
  }

  /** Fits every model on `df` (the last `valSize` points of each series validate). */
  async fit(options: FitOptions): Promise<void> {
    await ensureDefaultBackend();
    const panel = this.panelOf(options.df, options.staticDf);
    await this.fitPanel(panel, options);
  }

  /** Forecasts h steps after each series of the fitted data, or of `df` when given. */
  async predict(options: PredictOptions = {}): Promise<ForecastRow[]> {
    await ensureDefaultBackend();
    const fitted = this.requireFitted();
    let panel = fitted.panel;
    let scalers = fitted.scalers;
    if (options.df) {
      panel = this.panelOf(options.df, options.staticDf ?? this.staticRowsOf(fitted.panel));
      // Series unseen at fit get their local scaler fitted on the new history.
      if (this.localScalerType)
        scalers = fitLocalScalers(panel, this.localScalerType, scalers ?? {}, this.categoricalColumns);
    }
    const futrColumns = [...new Set(this.models.flatMap((m) => m.exog.futr))];
    const future = futurePart({
      panel,
      h: this.h,
      futrColumns,
      ...(options.futrDf ? { futrDf: options.futrDf } : {}),
      ...(this.calendar ? { calendar: this.calendar } : {}),
      ...(this.categoricalVocab ? { codes: vocabCodes(this.categoricalVocab) } : {}),
      scalers,
    });
    const scaled = scalers ? applyLocalScalers(panel, scalers) : panel;
    const cutoffs: Cutoff[] = panel.series.map((s, i) => ({ series: i, position: s.y.length }));
    const rows: Record<string, string | number | null>[] = panel.series.flatMap((s) =>
      (future.times[s.id] as number[]).map((t) => ({ unique_id: s.id, ds: formatTime(this.freq, t) })),
    );
    for (const model of this.forecastViews(options)) {
      const forecasts = await forecastCutoffs({ model, scaled, scalers, cutoffs, future: future.values });
      this.writeColumns({ rows, model, forecasts, level: options.level });
    }
    return rows as ForecastRow[];
  }

  /**
   * Rolling-origin evaluation as NeuralForecast: cutoffs at T - testSize + k·stepSize for each
   * series, `refit` false (fit once on the data before the first cutoff), true (refit at each
   * window) or n (refit every n windows). Local scalers are fitted on each training part only.
   */
  async crossValidation(options: CrossValidationOptions): Promise<CrossValidationRow[]> {
    await ensureDefaultBackend();
    const panel = this.panelOf(options.df, options.staticDf);
    const h = this.h;
    const stepSize = options.stepSize ?? 1;
    if (!Number.isInteger(stepSize) || stepSize < 1)
      throw new ConfigError(`stepSize must be a positive integer; got ${stepSize}`);
    let nWindows = options.nWindows ?? 1;
    let testSize = h + stepSize * (nWindows - 1);
    if (options.testSize !== undefined) {
      testSize = options.testSize;
      nWindows = (testSize - h) / stepSize + 1;
      if (!Number.isInteger(nWindows) || nWindows < 1) {
        throw new ConfigError(
          `testSize ${testSize} must equal h (${h}) + stepSize (${stepSize}) × (nWindows - 1)`,
        );
      }
    }
    if (!Number.isInteger(nWindows) || nWindows < 1)
      throw new ConfigError(`nWindows must be a positive integer; got ${nWindows}`);
    const refitEvery = refitInterval(options.refit ?? false, nWindows);
    const short = panel.series.find((s) => s.y.length <= testSize);
    if (short)
      throw new ConfigError(
        `series '${short.id}' has ${short.y.length} points; crossValidation needs more than testSize ${testSize}`,
      );
    const rows: Record<string, string | number | null>[] = [];
    for (let first = 0; first < nWindows; first += refitEvery) {
      const windows = Array.from({ length: Math.min(refitEvery, nWindows - first) }, (_, k) => first + k);
      const trainLengths = panel.series.map((s) => s.y.length - testSize + first * stepSize);
      await this.fitPanel(headPanel(panel, trainLengths), {
        valSize: options.valSize ?? 0,
        useInitModels: true,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const scalers = this.requireFitted().scalers;
      const scaled = scalers ? applyLocalScalers(panel, scalers) : panel;
      const cutoffs = windows.flatMap((k) =>
        panel.series.map((s, i) => ({ series: i, position: s.y.length - testSize + k * stepSize })),
      );
      rows.push(...this.windowRows(panel, cutoffs));
      await this.fillModelColumns({
        rows: rows.slice(rows.length - cutoffs.length * h),
        scaled,
        scalers,
        cutoffs,
        level: options.level,
        models: this.forecastViews(options),
      });
    }
    return sortRows(rows) as CrossValidationRow[];
  }

  /** Forecasts over the fitted data itself: windows with cutoffs every `stepSize` back from T - h. */
  async predictInsample(options: PredictInsampleOptions = {}): Promise<CrossValidationRow[]> {
    await ensureDefaultBackend();
    const { panel, scalers } = this.requireFitted();
    const stepSize = options.stepSize ?? 1;
    if (!Number.isInteger(stepSize) || stepSize < 1)
      throw new ConfigError(`stepSize must be a positive integer; got ${stepSize}`);
    const cutoffs: Cutoff[] = [];
    panel.series.forEach((s, i) => {
      const positions: number[] = [];
      for (let c = s.y.length - this.h; c >= 1; c -= stepSize) positions.push(c);
      positions.reverse().forEach((position) => cutoffs.push({ series: i, position }));
    });
    const scaled = scalers ? applyLocalScalers(panel, scalers) : panel;
    const rows = this.windowRows(panel, cutoffs);
    await this.fillModelColumns({ rows, scaled, scalers, cutoffs, level: undefined, models: this.models });
    return rows as CrossValidationRow[];
  }

  /** Writes weights, configs, local scaler parameters and the fitted data under `dir`. */
  async save(dir: string, options: SaveOptions = {}): Promise<void> {
    await saveCore(this, dir, options);
  }

  /** Restores a saved NeuralForecast; predictions equal the saved object's bit for bit. */
  static async load(dir: string): Promise<NeuralForecast> {
    await ensureDefaultBackend();
    return loadCore(dir, (options) => new NeuralForecast(options));
  }

  /** Frees every model's weights. */
  dispose(): void {
    for (const model of this.models) disposeNetwork(model);
    this.state = null;
  }

  /** The models as a forecast reports them: their loss's summaries, or `samples` draws per step. */
  private forecastViews(options: Pick<PredictOptions, 'samples' | 'level'>): readonly CoreModel[] {
    const { samples } = options;
    if (samples === undefined) return this.models;
    if (options.level !== undefined)
      throw new ConfigError('level and samples exclude each other: draws carry every interval');
    return this.models.map((model) => drawingView(model, samples));
  }

  /** The columns coded as categories. */
  private get categoricalColumns(): ReadonlySet<string> {
    return new Set(this.categoricalCardinalities.keys());
  }

  private panelOf(df: PredictOptions['df'], staticDf: FitOptions['staticDf']): Panel {
    if (!df) throw new ConfigError('df is required');
    if (this.categoricalCardinalities.size > 0 && this.categoricalVocab === null) {
      this.categoricalVocab = buildVocab({
        cardinalities: this.categoricalCardinalities,
        data: df,
        ...(staticDf ? { staticRows: staticDf } : {}),
      });
    }
    return buildPanel({
      data: df,
      freq: this.freq,
      missing: this.missing,
      ...(staticDf ? { staticRows: staticDf } : {}),
      ...(this.categoricalVocab ? { codes: vocabCodes(this.categoricalVocab) } : {}),
    });
  }

  /** The fitted panel's static frame as users gave it: categorical codes turned back into values. */
  private staticRowsOf(panel: Panel): FitOptions['staticDf'] {
    const ids = Object.keys(panel.static);
    const vocab = this.categoricalVocab ?? {};
    const decode = (column: string, value: number): number | string | null => {
      const categories = vocab[column];
      return categories ? (categories[value - 1] ?? null) : value;
    };
    return ids.length > 0
      ? ids.map((id) => ({
          unique_id: id,
          ...Object.fromEntries(
            Object.entries(panel.static[id] ?? {}).map(([column, value]) => [column, decode(column, value)]),
          ),
        }))
      : undefined;
  }

  private requireFitted(): FittedState {
    if (!this.state || this.models.some((m) => !m.network))
      throw new ConfigError('the models are not fitted; call fit (or NeuralForecast.load) first');
    return this.state;
  }

  private async fitPanel(panel: Panel, options: Omit<FitOptions, 'df' | 'staticDf'>): Promise<void> {
    const valSize = options.valSize ?? 0;
    if (!Number.isInteger(valSize) || valSize < 0)
      throw new ConfigError(`valSize must be a non-negative integer; got ${valSize}`);
    for (const model of this.models) {
      checkExogColumns(model, panel);
      if (model.common.early_stop_patience_steps > 0 && valSize === 0) {
        throw new ConfigError(`model '${model.name}': early_stop_patience_steps needs valSize > 0`);
      }
    }
    const scalers = this.localScalerType
      ? fitLocalScalers(panel, this.localScalerType, {}, this.categoricalColumns)
      : null;
    const scaled = scalers ? applyLocalScalers(panel, scalers) : panel;
    for (const model of this.models) {
      if (!model.network || options.useInitModels) buildNetwork(model);
      const sources = scaled.series.map((series) =>
        toWindowSource({
          series,
          exog: model.exog,
          ...(scaled.static[series.id] ? { staticValues: scaled.static[series.id] } : {}),
        }),
      );
      await trainNetwork({
        modelName: model.name,
        network: model.network as NonNullable<CoreModel['network']>,
        config: model.common,
        loss: model.loss,
        validLoss: model.validLoss,
        sources,
        valSize,
        ...(model.revin ? { revin: model.revin } : {}),
        ...(options.onProgress
          ? { onProgress: (e) => options.onProgress?.({ ...e, model: model.name }) }
          : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    }
    this.state = { panel, scalers };
  }

  /** Rows (unique_id, ds, cutoff, y) of each cutoff's horizon, in cutoff order. */
  private windowRows(panel: Panel, cutoffs: readonly Cutoff[]): Record<string, string | number | null>[] {
    const h = this.h;
    return cutoffs.flatMap(({ series, position }) => {
      const s = panel.series[series] as Panel['series'][number];
      const cutoff = formatTime(this.freq, s.time[position - 1] as number);
      return Array.from({ length: h }, (_, j) => {
        const t = position + j;
        const observed = t < s.y.length && s.mask[t] === 1;
        return {
          unique_id: s.id,
          ds: t < s.time.length ? formatTime(this.freq, s.time[t] as number) : null,
          cutoff,
          y: observed ? (s.y[t] as number) : null,
        };
      });
    });
  }

  private async fillModelColumns(args: {
    rows: Record<string, string | number | null>[];
    scaled: Panel;
    scalers: LocalScalerState | null;
    cutoffs: readonly Cutoff[];
    level: readonly number[] | undefined;
    models: readonly CoreModel[];
  }): Promise<void> {
    for (const model of args.models) {
      const forecasts = await forecastCutoffs({
        model,
        scaled: args.scaled,
        scalers: args.scalers,
        cutoffs: args.cutoffs,
      });
      this.writeColumns({ rows: args.rows, model, forecasts, level: args.level });
    }
  }

  /** Copies forecasts ([H, N] per cutoff, in row order) into the rows' model columns. */
  private writeColumns(args: {
    rows: Record<string, string | number | null>[];
    model: CoreModel;
    forecasts: readonly Float64Array[];
    level: readonly number[] | undefined;
  }): void {
    const { rows, model, forecasts } = args;
    const names = outputColumns(model);
    const keep = columnsForLevel(model, args.level);
    const n = names.length;
    const h = this.h;
    forecasts.forEach((block, w) => {
      for (let j = 0; j < h; j += 1) {
        const row = rows[w * h + j] as Record<string, string | number | null>;
        for (const k of keep) row[names[k] as string] = block[j * n + k] as number;
      }
    });
  }
}

/**
 * Every model's declared cardinalities, merged; two models declaring different ones for a column is
 * a ConfigError (NeuralForecast's rule: the vocabulary is shared).
 */
const sharedCardinalities = (models: readonly CoreModel[]): ReadonlyMap<string, number> => {
  const merged = new Map<string, number>();
  for (const model of models)
    for (const column of model.common.cat_exog_list) {
      const cardinality = model.common.categorical_cardinalities[column] as number;
      const earlier = merged.get(column);
      if (earlier !== undefined && earlier !== cardinality)
        throw new ConfigError(
          `models declare different categorical_cardinalities for '${column}' (${earlier} and ${cardinality}); every model must give a column the same cardinality`,
        );
      merged.set(column, cardinality);
    }
  return merged;
};

/** Windows per refit group: all of them for `false`, 1 for `true`, n for a number. */
const refitInterval = (refit: boolean | number, nWindows: number): number => {
  if (refit === false) return nWindows;
  if (refit === true) return 1;
  if (!Number.isInteger(refit) || refit < 0)
    throw new ConfigError(`refit must be a boolean or a non-negative integer; got ${refit}`);
  return refit === 0 ? nWindows : refit;
};

/** Orders cross-validation rows by unique_id, then cutoff, then ds (NeuralForecast's order). */
const sortRows = (
  rows: Record<string, string | number | null>[],
): Record<string, string | number | null>[] => {
  const key = (v: string | number | null): string =>
    typeof v === 'number' ? v.toString().padStart(20, '0') : String(v);
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => {
      for (const column of ['unique_id', 'cutoff', 'ds']) {
        const x = key(a.row[column] ?? null);
        const y = key(b.row[column] ?? null);
        if (x !== y) return x < y ? -1 : 1;
      }
      return a.i - b.i;
    })
    .map(({ row }) => row);
};
