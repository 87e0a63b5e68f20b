/** `GET …/panel`: series of one game as chart-ready arrays, with the asked exogenous columns. */
import { ConfigError } from '@nflab/contracts';
import { loadPanel, type DataScope, type Queryable } from '@nflab/store';

/** What {@link panelSeries} reads. */
export interface PanelRequest {
  readonly table: string;
  readonly loto: string;
  readonly uniqueIds?: readonly string[];
  /** Exogenous (or other numeric) columns to include; none when absent. */
  readonly columns?: readonly string[];
  /** Which relations are data. @default DEFAULT_DATA_SCOPE */
  readonly scope?: DataScope;
}

// JSON has no NaN: a missing value is null.
const toJson = (values: ArrayLike<number>, from: number, length: number): (number | null)[] =>
  Array.from({ length }, (_, i) => {
    const value = values[from + i] as number;
    return Number.isNaN(value) ? null : value;
  });

/** One entry per series: ds, y and `exog[column]`, all aligned by row; static columns repeat per row. */
export const panelSeries = async (db: Queryable, request: PanelRequest) => {
  const panel = await loadPanel(db, {
    table: request.table,
    loto: request.loto,
    uniqueIds: request.uniqueIds,
    columns: request.columns ?? [],
    ...(request.scope === undefined ? {} : { scope: request.scope }),
  });
  const rowColumns: Record<string, Float64Array> = { ...panel.futr, ...panel.hist };
  for (const [name, values] of Object.entries(panel.other)) {
    if (!(values instanceof Float64Array)) {
      throw new ConfigError(`column ${JSON.stringify(name)} is not numeric; the panel charts numbers only`);
    }
    rowColumns[name] = values;
  }
  return {
    series: panel.series.map((series, index) => {
      const exog: Record<string, (number | null)[]> = {};
      for (const [name, values] of Object.entries(rowColumns))
        exog[name] = toJson(values, series.start, series.length);
      for (const [name, values] of Object.entries(panel.stat.columns)) {
        const value = values[index] as number;
        exog[name] = Array.from({ length: series.length }, () => (Number.isNaN(value) ? null : value));
      }
      return {
        unique_id: series.uniqueId,
        ds: panel.ds.slice(series.start, series.start + series.length),
        y: toJson(panel.y, series.start, series.length),
        exog,
      };
    }),
  };
};
