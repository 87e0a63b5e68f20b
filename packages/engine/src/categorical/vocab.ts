/**
 * The panel-wide vocabulary of categorical exogenous columns (NeuralForecast 3.2's
 * `categorical_vocab_`): built once from the first data a NeuralForecast sees, each column's distinct
 * values sorted and numbered from 1; code 0 is every value the vocabulary does not hold (unseen at
 * fit, or missing), which the embedding maps to the mean of the learned categories.
 */
import { ConfigError } from '@nflab/contracts';
import type { PanelColumns, PanelRow, StaticRow } from '../data/panel.js';

/** Per categorical column, its categories in code order: code k (1-based) is `categories[k - 1]`. */
export type CategoricalVocab = Readonly<Record<string, readonly string[]>>;

/** Per categorical column, category key → code (1 … K). */
export type CategoryCodes = ReadonlyMap<string, ReadonlyMap<string, number>>;

/**
 * The key a value is looked up by. Numbers and their string forms are one category (a database
 * driver may hand `7` over as `'7'`); null, undefined, NaN and empty strings are missing.
 */
export const categoryKey = (value: unknown): string | undefined => {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return Number.isNaN(value) ? undefined : String(value);
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed === '') return undefined;
    const asNumber = Number(trimmed);
    return Number.isNaN(asNumber) ? trimmed : String(asNumber);
  }
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  throw new ConfigError(
    `a categorical value must be a string, number or boolean; got ${JSON.stringify(value)}`,
  );
};

/** Numeric categories sort as numbers (2 before 10), any other set as strings — Python's `sorted`. */
const sortCategories = (keys: readonly string[]): string[] =>
  keys.every((k) => Number.isFinite(Number(k)))
    ? [...keys].sort((a, b) => Number(a) - Number(b))
    : [...keys].sort();

/** The values of `column` in long rows or column-format data. */
const columnValues = (data: readonly PanelRow[] | PanelColumns, column: string): readonly unknown[] =>
  Array.isArray(data)
    ? (data as readonly PanelRow[]).map((row) => row[column])
    : ((data as PanelColumns)[column] ?? []);

const hasColumn = (data: readonly PanelRow[] | PanelColumns, column: string): boolean =>
  Array.isArray(data) ? column in ((data as readonly PanelRow[])[0] ?? {}) : column in data;

/** Options of {@link buildVocab}. */
export interface BuildVocabOptions {
  /** Declared cardinality of each categorical column (`categorical_cardinalities`). */
  readonly cardinalities: ReadonlyMap<string, number>;
  readonly data: readonly PanelRow[] | PanelColumns;
  readonly staticRows?: readonly StaticRow[];
}

/**
 * Reads each categorical column from the frame that holds it (the static frame first, as
 * NeuralForecast) and numbers its sorted distinct values; more values than the declared
 * cardinality is a ConfigError naming the column and the fix.
 */
export const buildVocab = ({ cardinalities, data, staticRows }: BuildVocabOptions): CategoricalVocab => {
  const vocab: Record<string, readonly string[]> = {};
  for (const [column, cardinality] of cardinalities) {
    const fromStatic = staticRows !== undefined && staticRows.length > 0 && column in (staticRows[0] ?? {});
    if (!fromStatic && !hasColumn(data, column)) continue; // checkExogColumns names the missing column.
    const values = fromStatic ? staticRows.map((row) => row[column]) : columnValues(data, column);
    const keys = new Set<string>();
    for (const value of values) {
      const key = categoryKey(value);
      if (key !== undefined) keys.add(key);
    }
    if (keys.size > cardinality) {
      throw new ConfigError(
        `categorical column '${column}' has ${keys.size} distinct values in the training data but categorical_cardinalities declares ${cardinality}; raise categorical_cardinalities.${column} to at least ${keys.size}`,
      );
    }
    vocab[column] = sortCategories([...keys]);
  }
  return vocab;
};

/** The lookup tables of a vocabulary. */
export const vocabCodes = (vocab: CategoricalVocab): CategoryCodes =>
  new Map(
    Object.entries(vocab).map(([column, categories]) => [
      column,
      new Map(categories.map((key, i) => [key, i + 1])),
    ]),
  );

/** The code of one value: its category's number, 0 when unseen or missing. */
export const encodeCategory = (codes: ReadonlyMap<string, number>, value: unknown): number => {
  const key = categoryKey(value);
  return key === undefined ? 0 : (codes.get(key) ?? 0);
};
