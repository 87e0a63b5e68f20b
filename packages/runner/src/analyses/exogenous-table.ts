/**
 * The exogenous analysis of a data table: for every series of a game and every hist_/futr_ column,
 * correlations, lagged cross-correlation, mutual information and Granger causality, with p-values
 * corrected across all (series, column) pairs (@nflab/analysis's `tableExogenousSummary`). The
 * result is stored under a fingerprint of the settings and the data read, so a repeated question on
 * unchanged data is read back.
 */
import { createHash } from 'node:crypto';
import { tableExogenousSummary, type ExogenousSeriesInput, type ExogenousSummary } from '@nflab/analysis';
import { ConfigError } from '@nflab/contracts';
import {
  findAnalysis,
  loadPanel,
  saveAnalysis,
  type DataScope,
  type LoadedPanel,
  type Queryable,
} from '@nflab/store';
import { analysisFingerprint } from './fingerprint.js';

/** What to analyse. */
export interface ExogenousTableRequest {
  readonly table: string;
  readonly loto: string;
  /** @default every series of the game */
  readonly unique_ids?: readonly string[];
  /** hist_/futr_ columns to test. @default every hist_ and futr_ column of the table */
  readonly columns?: readonly string[];
  readonly cross_correlation_max_lag: number;
  readonly granger_max_lag: number;
  readonly granger_criterion: 'aic' | 'bic';
}

/** The stored analysis. */
export interface StoredExogenousAnalysis {
  readonly analysisId: number;
  readonly cached: boolean;
  readonly analysis: ExogenousTableAnalysis;
}

/** The summary with what was read and left out. */
export interface ExogenousTableAnalysis extends ExogenousSummary {
  readonly table: string;
  readonly loto: string;
  readonly series: readonly string[];
  readonly columns: readonly string[];
  /** Rows per series left out because y or a tested column was NULL there. */
  readonly droppedRows: Readonly<Record<string, number>>;
}

/** The columns tested: hist_ and futr_ (static ones are constant within a series, so they cannot co-vary with y). */
const testedColumns = (panel: LoadedPanel, asked: readonly string[] | undefined): string[] => {
  const available = [...Object.keys(panel.hist), ...Object.keys(panel.futr)];
  if (asked === undefined) return available.sort();
  const unknown = asked.filter((column) => !available.includes(column));
  if (unknown.length > 0) {
    throw new ConfigError(
      `columns ${unknown.join(', ')} are not hist_ or futr_ columns of ${panel.table}; choose from ${available.sort().join(', ') || '(none)'}`,
    );
  }
  return [...asked];
};

/** Each series' rows where y and every tested column are known. */
const seriesInputs = (
  panel: LoadedPanel,
  columns: readonly string[],
): { inputs: ExogenousSeriesInput[]; dropped: Record<string, number> } => {
  const values = { ...panel.hist, ...panel.futr };
  const dropped: Record<string, number> = {};
  const inputs = panel.series.map(({ uniqueId, start, length }) => {
    const rows = Array.from({ length }, (_, i) => start + i).filter(
      (row) =>
        Number.isFinite(panel.y[row]) && columns.every((column) => Number.isFinite(values[column]?.[row])),
    );
    dropped[uniqueId] = length - rows.length;
    return {
      uniqueId,
      y: rows.map((row) => panel.y[row] as number),
      columns: Object.fromEntries(
        columns.map((column) => [column, rows.map((row) => values[column]?.[row] as number)]),
      ),
    };
  });
  return { inputs, dropped };
};

/** sha256 of the values analysed: new draws or edited rows give a new fingerprint. */
const dataHash = (inputs: readonly ExogenousSeriesInput[]): string => {
  const hash = createHash('sha256');
  for (const series of inputs) {
    hash.update(series.uniqueId);
    hash.update(Float64Array.from(series.y));
    for (const [name, x] of Object.entries(series.columns)) {
      hash.update(name);
      hash.update(Float64Array.from(x));
    }
  }
  return hash.digest('hex');
};

/** Analyses the table's exogenous columns, reading a stored result back when data and settings are unchanged. */
export const analyzeExogenousTable = async (
  db: { readonly lab: Queryable; readonly data: Queryable; readonly scope?: DataScope },
  request: ExogenousTableRequest,
  options: { readonly createdBy: string | null },
): Promise<StoredExogenousAnalysis> => {
  const panel = await loadPanel(db.data, {
    table: request.table,
    loto: request.loto,
    ...(request.unique_ids === undefined ? {} : { uniqueIds: request.unique_ids }),
    ...(db.scope === undefined ? {} : { scope: db.scope }),
  });
  if (panel.series.length === 0) {
    throw new ConfigError(`game ${request.loto} of ${request.table} has no series to analyse`);
  }
  const columns = testedColumns(panel, request.columns);
  if (columns.length === 0) {
    throw new ConfigError(
      `${request.table} has no hist_ or futr_ columns to analyse; build its feature view first`,
    );
  }
  const { inputs, dropped } = seriesInputs(panel, columns);
  const settings = {
    table: request.table,
    loto: request.loto,
    columns,
    cross_correlation_max_lag: request.cross_correlation_max_lag,
    granger_max_lag: request.granger_max_lag,
    granger_criterion: request.granger_criterion,
    data: dataHash(inputs),
  };
  const fingerprint = analysisFingerprint('exogenous', settings, []);
  const stored = await findAnalysis(db.lab, 'exogenous', fingerprint);
  if (stored !== undefined) {
    return { analysisId: Number(stored.id), cached: true, analysis: stored.result as ExogenousTableAnalysis };
  }
  const summary = tableExogenousSummary(inputs, {
    crossCorrelationMaxLag: request.cross_correlation_max_lag,
    grangerMaxLag: request.granger_max_lag,
    grangerCriterion: request.granger_criterion,
  });
  const analysis: ExogenousTableAnalysis = {
    table: request.table,
    loto: request.loto,
    series: inputs.map((series) => series.uniqueId),
    columns,
    droppedRows: dropped,
    ...summary,
  };
  const saved = await saveAnalysis(db.lab, {
    kind: 'exogenous',
    fingerprint,
    inputs: { ...settings, unique_ids: analysis.series },
    result: analysis,
    run_ids: [],
    created_by: options.createdBy,
  });
  return { analysisId: Number(saved.id), cached: false, analysis };
};
