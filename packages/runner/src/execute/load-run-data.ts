/**
 * The data of one run: the spec's table, game and series read from the database into the
 * column frame the engine takes, the exogenous columns resolved by role, and a fingerprint of
 * exactly those values — with the spec, the seed and the engine version it lets anyone re-run the
 * run to the same numbers, and tells when the table changed underneath a saved model.
 */
import { createHash } from 'node:crypto';
import { baseModelId, ConfigError, EXOG_KINDS, type ExogKind, type RunSpec } from '@nflab/contracts';
import { getModelSpec, type Freq, type StaticRow } from '@nflab/engine';
import {
  dataScopeFromEnv,
  loadPanel,
  type ExogenousMap,
  type LoadedPanel,
  type Queryable,
} from '@nflab/store';
import type { ExogLists, RunData } from '../compute/run-data.js';
import { futureFrame } from './future-frame.js';
import { withHierarchy } from './hierarchy-data.js';

const INTEGER = /^-?\d+$/;

/** The loader's options that select the spec's exogenous columns (everything for `auto`). */
const selection = (spec: RunSpec): { columns?: string[]; exogenousMap: ExogenousMap } => {
  const choice = spec.exogenous;
  if (choice.mode === 'none') return { columns: [], exogenousMap: {} };
  const map: Record<string, ExogKind> = { ...(choice.map ?? {}) };
  if (choice.mode === 'auto') return { exogenousMap: map };
  const lists: Record<ExogKind, readonly string[] | undefined> = {
    futr: choice.futr_exog_list,
    hist: choice.hist_exog_list,
    stat: choice.stat_exog_list,
  };
  // A column listed under a role takes that role whatever its prefix, as NeuralForecast's lists do.
  for (const kind of EXOG_KINDS) for (const column of lists[kind] ?? []) map[column] = kind;
  return { columns: Object.keys(map), exogenousMap: map };
};

/** The exogenous lists the run uses: explicit ones as given, `auto` narrowed to the kinds the model accepts. */
const exogListsOf = (spec: RunSpec, panel: LoadedPanel): ExogLists => {
  const loaded: Record<ExogKind, string[]> = {
    futr: Object.keys(panel.futr).sort(),
    hist: Object.keys(panel.hist).sort(),
    stat: Object.keys(panel.stat.columns).sort(),
  };
  if (spec.exogenous.mode !== 'auto') return loaded;
  const accepts = getModelSpec(baseModelId(spec.model)).exogenous;
  return {
    futr: accepts.futr ? loaded.futr : [],
    hist: accepts.hist ? loaded.hist : [],
    stat: accepts.stat ? loaded.stat : [],
  };
};

const finiteOrNull = (value: number): number | null => (Number.isNaN(value) ? null : value);

/** `freq` of the spec, else irregular for calendar days (loto draws) and 1 for integer steps. */
const freqOf = (spec: RunSpec, ds: readonly string[]): Freq => {
  if (spec.freq !== undefined) return spec.freq as Freq;
  return ds.length > 0 && ds.every((value) => INTEGER.test(value)) ? 1 : 'irregular';
};

/**
 * Reads the run's panel (from a data table of the scope NFLAB_DATA_SCHEMA/NFLAB_DATA_TABLES set,
 * as the planner checked) and resolves its exogenous columns; NotFound/Config errors name what is missing.
 */
export const loadRunData = async (db: Queryable, spec: RunSpec): Promise<RunData> => {
  const panel = await loadPanel(db, {
    table: spec.table_name,
    loto: spec.loto,
    uniqueIds: spec.unique_ids,
    ...selection(spec),
    scope: dataScopeFromEnv(),
  });
  const missing = spec.unique_ids.filter((id) => !panel.series.some((s) => s.uniqueId === id));
  if (missing.length > 0) {
    throw new ConfigError(
      `unique_ids: ${missing.join(', ')} have no rows for loto '${spec.loto}' in ${spec.table_name}`,
    );
  }
  const exog = exogListsOf(spec, panel);
  const freq = freqOf(spec, panel.ds);
  const ds = typeof freq === 'number' ? panel.ds.map(Number) : panel.ds;
  const columns: Record<string, readonly unknown[]> = {
    unique_id: panel.uniqueId,
    ds,
    y: Array.from(panel.y, finiteOrNull),
  };
  for (const kind of ['futr', 'hist'] as const) {
    for (const name of exog[kind]) columns[name] = Array.from(panel[kind][name] ?? [], finiteOrNull);
  }
  let staticRows: StaticRow[] = panel.stat.uniqueId.map((uniqueId, i) => {
    const row: Record<string, unknown> = { unique_id: uniqueId };
    for (const name of exog.stat) row[name] = panel.stat.columns[name]?.[i] ?? null;
    return row as StaticRow;
  });
  let series = panel.series.map(({ uniqueId, start, length }) => ({ uniqueId, start, length }));
  let frame = columns as RunData['columns'];
  // HINT fits and forecasts the aggregates too; exogenous columns are refused with a hierarchy.
  if (spec.hierarchy !== undefined) {
    ({ columns: frame, series } = withHierarchy(frame, series, spec.hierarchy));
    // Every series of a panel has a static row; an aggregate's has no values (no exogenous columns).
    staticRows = [
      ...spec.hierarchy.aggregates.map((aggregate) => ({ unique_id: aggregate.id })),
      ...staticRows,
    ];
  }
  const hash = createHash('sha256');
  for (const name of Object.keys(frame).sort())
    hash.update(`${name}\0${JSON.stringify(frame[name as keyof typeof frame])}\0`);
  hash.update(JSON.stringify(staticRows));
  return {
    columns: frame,
    staticRows,
    exog,
    freq,
    series,
    fingerprint: hash.digest('hex'),
    future: futureFrame({ spec, exog, series, ds, irregular: freq === 'irregular' }),
  };
};
