/**
 * Where a model's categorical exogenous columns sit and what they become: per exogenous kind, the
 * continuous columns (kept in list order) followed by one embedding per categorical column (in
 * `cat_exog_list` order) — NeuralForecast 3.2's `_embed_stream` layout, so the network is built
 * for the widened sizes NeuralForecast's `*_exog_size` give.
 */
import { ConfigError } from '@nflab/contracts';
import { embeddingDim, type CatEmbDim } from './embedding-dims.js';

/** The exogenous kinds. */
export type ExogKind = 'futr' | 'hist' | 'stat';

/** One categorical column of a kind's stream. */
export interface CategoricalColumn {
  readonly name: string;
  /** Its channel in the raw stream (the position in the kind's exog list). */
  readonly channel: number;
  /** Declared number of categories K; the table has K + 1 rows (row 0 for unseen values). */
  readonly cardinality: number;
  /** Embedding width. */
  readonly dim: number;
}

/** One kind's stream: raw channels in, continuous channels and embeddings out. */
export interface StreamLayout {
  /** Channels of the raw stream kept as they are, in order. */
  readonly continuous: readonly number[];
  readonly categorical: readonly CategoricalColumn[];
  /** Width of the embedded stream: continuous channels plus every embedding. */
  readonly size: number;
}

/** A model's categorical layout, present only when it embeds at least one column. */
export type CategoricalLayout = Readonly<Record<ExogKind, StreamLayout>>;

/** What the layout reads of a model's common config. */
export interface CategoricalSettings {
  readonly futr_exog_list: readonly string[];
  readonly hist_exog_list: readonly string[];
  readonly stat_exog_list: readonly string[];
  readonly cat_exog_list: readonly string[];
  readonly categorical_cardinalities: Readonly<Record<string, number>>;
  readonly cat_emb_dim: CatEmbDim;
}

const LISTS = { futr: 'futr_exog_list', hist: 'hist_exog_list', stat: 'stat_exog_list' } as const;

/**
 * Checks `cat_exog_list` against the model and its exogenous lists (NeuralForecast's
 * `_check_categorical_exog`): every categorical column must be an exogenous column of the model and
 * have a declared cardinality, and the model must embed categories at all.
 */
export const checkCategorical = (
  settings: CategoricalSettings,
  model: { readonly name: string; readonly label: string; readonly acceptsCategorical: boolean },
): void => {
  const { cat_exog_list: columns } = settings;
  if (columns.length === 0) return;
  if (!model.acceptsCategorical)
    throw new ConfigError(
      `model '${model.name}' (${model.label}) does not embed categorical exogenous variables (cat_exog_list: ${columns.join(', ')}); leave cat_exog_list empty to feed them as numbers`,
    );
  const listed = new Set([
    ...settings.futr_exog_list,
    ...settings.hist_exog_list,
    ...settings.stat_exog_list,
  ]);
  const unknown = columns.filter((c) => !listed.has(c));
  if (unknown.length > 0)
    throw new ConfigError(
      `model '${model.name}': cat_exog_list names ${unknown.join(', ')}, which no futr_exog_list, hist_exog_list or stat_exog_list holds; list each categorical column as an exogenous column too`,
    );
  const uncounted = columns.filter((c) => settings.categorical_cardinalities[c] === undefined);
  if (uncounted.length > 0)
    throw new ConfigError(
      `model '${model.name}': categorical_cardinalities has no entry for ${uncounted.join(', ')}; give each categorical column its number of distinct values`,
    );
};

/** The layout of a checked config, or undefined when the model embeds nothing. */
export const categoricalLayout = (settings: CategoricalSettings): CategoricalLayout | undefined => {
  if (settings.cat_exog_list.length === 0) return undefined;
  const stream = (kind: ExogKind): StreamLayout => {
    const list = settings[LISTS[kind]];
    const categorical = settings.cat_exog_list
      .filter((name) => list.includes(name))
      .map((name) => {
        const cardinality = settings.categorical_cardinalities[name] as number;
        return {
          name,
          channel: list.indexOf(name),
          cardinality,
          dim: embeddingDim(settings.cat_emb_dim, cardinality),
        };
      });
    const categoricalChannels = new Set(categorical.map((c) => c.channel));
    const continuous = list.map((_, i) => i).filter((i) => !categoricalChannels.has(i));
    return { continuous, categorical, size: continuous.length + categorical.reduce((n, c) => n + c.dim, 0) };
  };
  return { futr: stream('futr'), hist: stream('hist'), stat: stream('stat') };
};

/** The channels of each temporal stream the window scaler must leave as codes. */
export const codeChannels = (layout: CategoricalLayout): { futr: number[]; hist: number[] } => ({
  futr: layout.futr.categorical.map((c) => c.channel),
  hist: layout.hist.categorical.map((c) => c.channel),
});
