/**
 * HINT (Olivares et al., 2023) as NeuralForecast 3.2 offers it: one model with a distribution loss
 * fitted on every series of a hierarchy, whose forecast draws are made coherent by S·P before they
 * are summarised, so the reconciled mean and quantiles of every date add up the hierarchy.
 *
 * NeuralForecast obtains "draws" as evenly spaced quantiles of each series and shuffles them to
 * break the ordering between series; here the loss's own independent draws are reconciled, which
 * is the distribution that shuffle approximates, without its quantile-grid discreteness.
 */
import { access, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, NotFoundError } from '@nflab/contracts';
import { sampleSuffix } from '../core/draws.js';
import { NeuralForecast } from '../core/neural-forecast.js';
import type {
  CrossValidationOptions,
  CrossValidationRow,
  FitOptions,
  ForecastRow,
  FrameInput,
  ModelEntry,
  NeuralForecastOptions,
  PredictOptions,
} from '../core/types.js';
import type { CoreModel } from '../core/fitted-model.js';
import type { PanelRow } from '../data/panel.js';
import { reconcileDraws, summariseDraws } from './coherent-draws.js';
import { checkHierarchy, type Hierarchy } from './hierarchy.js';
import { coherenceMatrix, RECONCILIATIONS, type Reconciliation } from './reconciliation.js';

/** Options of {@link Hint}: the base model, the hierarchy and how to reconcile. */
export interface HintOptions extends Omit<NeuralForecastOptions, 'models'> {
  /** A model whose loss is a distribution (DistributionLoss): HINT reconciles its draws. */
  readonly model: ModelEntry;
  readonly hierarchy: Hierarchy;
  readonly reconciliation: Reconciliation;
  /** Forecast column name. @default 'HINT' */
  readonly alias?: string;
}

type Row = Record<string, string | number | null>;

const HINT_FILE = 'hint.json';
const BASE_DIR = 'base';

interface SavedHint {
  readonly hierarchy: Hierarchy;
  readonly reconciliation: Reconciliation;
  readonly alias: string | null;
}

export class Hint {
  readonly name: string;
  readonly hierarchy: Hierarchy;
  readonly reconciliation: Reconciliation;
  /** The base model, fitted on every series of the hierarchy. */
  readonly base: NeuralForecast;
  private readonly SP: number[][] | null;

  /** `base`: a fitted NeuralForecast of `options.model` to use instead of a new one (load). */
  constructor(options: HintOptions, base?: NeuralForecast) {
    checkHierarchy(options.hierarchy);
    if (!RECONCILIATIONS.includes(options.reconciliation))
      throw new ConfigError(
        `reconciliation must be one of ${RECONCILIATIONS.join(', ')}; got '${String(options.reconciliation)}'`,
      );
    const { model, hierarchy, reconciliation, alias, ...core } = options;
    this.base = base ?? new NeuralForecast({ ...core, models: [model] });
    const loss = this.baseModel.loss;
    if (!loss.isDistribution || loss.sample === undefined || loss.numSamples === undefined)
      throw new ConfigError(
        `HINT needs a model with a distribution loss (DistributionLoss); '${this.baseModel.name}' uses ${loss.label}`,
      );
    this.name = alias ?? 'HINT';
    this.hierarchy = hierarchy;
    this.reconciliation = reconciliation;
    this.SP = coherenceMatrix(hierarchy, reconciliation);
  }

  get h(): number {
    return this.base.h;
  }

  /** The output columns: the base loss's suffixes (mean, median, intervals) on HINT's name. */
  get columns(): string[] {
    return this.baseModel.loss.outputNames.map((suffix) => `${this.name}${suffix}`);
  }

  /** Fits the base model on every series of the hierarchy (`df` must hold exactly those). */
  async fit(options: FitOptions): Promise<void> {
    this.checkSeries(options.df);
    await this.base.fit(options);
  }

  /** Coherent forecasts h steps after each series. */
  async predict(options: Omit<PredictOptions, 'samples' | 'level'> = {}): Promise<ForecastRow[]> {
    if (options.df) this.checkSeries(options.df);
    const rows = await this.base.predict({ ...options, samples: this.samples });
    return this.reconcileRows(rows as Row[], (row) => String(row.ds)) as ForecastRow[];
  }

  /** Rolling-origin evaluation of the coherent forecasts (the base model's cutoffs). */
  async crossValidation(
    options: Omit<CrossValidationOptions, 'samples' | 'level'>,
  ): Promise<CrossValidationRow[]> {
    this.checkSeries(options.df);
    const rows = await this.base.crossValidation({ ...options, samples: this.samples });
    return this.reconcileRows(
      rows as Row[],
      (row) => `${String(row.cutoff)}|${String(row.ds)}`,
    ) as CrossValidationRow[];
  }

  /** Writes the base model under `dir/base` and the hierarchy beside it. */
  async save(dir: string, options: { readonly overwrite?: boolean } = {}): Promise<void> {
    await this.base.save(path.join(dir, BASE_DIR), options);
    const saved: SavedHint = {
      hierarchy: this.hierarchy,
      reconciliation: this.reconciliation,
      alias: this.name === 'HINT' ? null : this.name,
    };
    const file = path.join(dir, HINT_FILE);
    await writeFile(`${file}.tmp`, JSON.stringify(saved));
    await rename(`${file}.tmp`, file);
  }

  /** Whether `dir` holds a HINT save (rather than a NeuralForecast's). */
  static async isSaved(dir: string): Promise<boolean> {
    return access(path.join(dir, HINT_FILE)).then(
      () => true,
      () => false,
    );
  }

  /** Restores a saved HINT; its forecasts equal the saved object's. */
  static async load(dir: string): Promise<Hint> {
    const file = path.join(dir, HINT_FILE);
    const text = await readFile(file, 'utf8').catch((error: unknown) => {
      throw new NotFoundError(`no HINT save in ${dir}: cannot read ${HINT_FILE}`, { cause: error });
    });
    const saved = JSON.parse(text) as SavedHint;
    const base = await NeuralForecast.load(path.join(dir, BASE_DIR));
    return new Hint(
      {
        model: base.entries[0] as ModelEntry,
        hierarchy: saved.hierarchy,
        reconciliation: saved.reconciliation,
        freq: base.freq,
        localScalerType: base.localScalerType,
        missing: base.missing,
        ...(base.calendar ? { calendar: base.calendar } : {}),
        ...(saved.alias === null ? {} : { alias: saved.alias }),
      },
      base,
    );
  }

  dispose(): void {
    this.base.dispose();
  }

  private get baseModel(): CoreModel {
    return this.base.models[0] as CoreModel;
  }

  /** Draws per step: the base loss's `num_samples`. */
  private get samples(): number {
    return this.baseModel.loss.numSamples as number;
  }

  private checkSeries(df: FrameInput): void {
    const ids = new Set(
      Array.isArray(df)
        ? (df as readonly PanelRow[]).map((row) => String(row.unique_id))
        : ((df as { unique_id?: readonly unknown[] }).unique_id ?? []).map(String),
    );
    const missing = this.hierarchy.ids.filter((id) => !ids.has(id));
    const extra = [...ids].filter((id) => !this.hierarchy.ids.includes(id));
    if (missing.length > 0 || extra.length > 0)
      throw new ConfigError(
        `HINT: df must hold exactly the hierarchy's series (${this.hierarchy.ids.join(', ')})${missing.length > 0 ? `; missing ${missing.join(', ')}` : ''}${extra.length > 0 ? `; not in the hierarchy ${extra.join(', ')}` : ''}`,
      );
  }

  /**
   * Groups the base rows by date (`keyOf`), reconciles each group's draws across the hierarchy and
   * replaces the draw columns by the summary columns, keeping the rows' order.
   */
  private reconcileRows(rows: readonly Row[], keyOf: (row: Row) => string): Row[] {
    const n = this.samples;
    const draws = Array.from({ length: n }, (_, k) => `${this.baseModel.name}${sampleSuffix(k)}`);
    const position = new Map(this.hierarchy.ids.map((id, i) => [id, i]));
    const groups = new Map<string, Row[]>();
    for (const row of rows) {
      const key = keyOf(row);
      let group = groups.get(key);
      if (group === undefined) {
        group = new Array<Row>(this.hierarchy.ids.length);
        groups.set(key, group);
      }
      group[position.get(String(row.unique_id)) as number] = row;
    }
    const quantiles = this.baseModel.loss.quantiles ?? [];
    const columns = this.columns;
    const summaries = new Map<Row, number[]>();
    for (const [key, group] of groups) {
      const absent = this.hierarchy.ids.find((_, i) => group[i] === undefined);
      if (absent !== undefined)
        throw new ConfigError(
          `HINT: series '${absent}' has no forecast for ${key.replace('|', ' → ')}; the hierarchy's series must share their dates`,
        );
      const base = group.map((row) => draws.map((column) => row[column] as number));
      const coherent = this.SP === null ? base : reconcileDraws(this.SP, base);
      group.forEach((row, i) =>
        summaries.set(row, summariseDraws(coherent[i] as ArrayLike<number>, quantiles)),
      );
    }
    return rows.map((row) => {
      const out: Row = {};
      for (const [column, value] of Object.entries(row))
        if (!column.includes('-sample-')) out[column] = value;
      (summaries.get(row) as number[]).forEach((value, k) => (out[columns[k] as string] = value));
      return out;
    });
  }
}
