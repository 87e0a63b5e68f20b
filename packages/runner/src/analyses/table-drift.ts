/**
 * Data drift of a table between a reference and a current window (issue 16): every checked column
 * of every series through @nflab/analysis's `columnDrift`, plus, for a known game, the chi-square
 * test of each drawn number's frequency against the uniform draw. The tests' p-values are corrected
 * together, the decision is written to nf_drift_metrics as one check, and a typed summary says which
 * columns drifted. Names are resolved by the store's `loadPanel` against the catalog, never spliced.
 */
import {
  adjustPValues,
  columnDrift,
  columnDriftPValue,
  inferColumnKind,
  numberFrequencyUniformity,
  uniformityDesignOf,
  type ColumnDrift,
  type ColumnKind,
  type NumberFrequencyUniformity,
} from '@nflab/analysis';
import {
  ConfigError,
  GAMES,
  P_ADJUST_METHODS,
  seriesIds,
  TABLE_DRIFT_LIMITS,
  type GameId,
  type PAdjustMethod,
} from '@nflab/contracts';
import { insertDriftCheck, loadPanel, type DataScope, type LoadedPanel, type Queryable } from '@nflab/store';
import { driftRows } from './table-drift-rows.js';
import { requireWindows, windowOf, type DriftWindow } from './table-drift-windows.js';

export type { DriftWindow } from './table-drift-windows.js';

/** When a test counts as drift. */
export interface TableDriftThresholds {
  /** A test drifts when its corrected p-value is below this. @default 0.01 */
  readonly pValue?: number;
  /**
   * When set, a column also needs PSI ≥ this to drift: a practical size as well as significance.
   * PSI alone is no test: it is biased upward on small windows and sparse categories (the y of
   * steady loto6 data over 200 draws per window gives 0.37–0.77, past every usual 0.1/0.25 rule).
   */
  readonly psi?: number;
  /** Correction of the p-values across all tests of the check. @default 'holm' */
  readonly pAdjust?: PAdjustMethod;
}

/** What to check. */
export interface CheckTableDriftOptions {
  /** `lab` stores the check; `data` reads the table (the same handle unless a data reader is set). */
  readonly db: { readonly lab: Queryable; readonly data: Queryable; readonly scope?: DataScope };
  readonly table: string;
  readonly loto: string;
  /** @default every series of the game */
  readonly uniqueIds?: readonly string[];
  readonly reference: DriftWindow;
  readonly current: DriftWindow;
  /** `y` and numeric columns of the table. @default y and every hist_ and futr_ column */
  readonly columns?: readonly string[];
  readonly thresholds?: TableDriftThresholds;
}

/** One column of one series. */
export interface ColumnDriftCheck {
  readonly uniqueId: string;
  readonly column: string;
  readonly kind: ColumnKind;
  /** The column test's p-value (KS or chi-square) and its corrected value. */
  readonly pValue: number;
  readonly adjustedPValue: number;
  readonly psi: number;
  readonly drifted: boolean;
  readonly drift: ColumnDrift;
}

/** The drawn numbers' uniformity in each window; the current window's test is part of the decision. */
export interface UniformityCheck {
  readonly current: NumberFrequencyUniformity;
  /** The same test on the reference window (for comparison; no decision). */
  readonly reference: NumberFrequencyUniformity | null;
  readonly adjustedPValue: number;
  readonly drifted: boolean;
}

/** A column (or the uniformity test, column `numbers`) that could not be checked, and why. */
export interface SkippedCheck {
  readonly uniqueId: string | null;
  readonly column: string;
  readonly reason: string;
}

/** The check as stored: which columns drifted, every statistic, what was skipped. */
export interface TableDriftSummary {
  readonly checkId: string;
  readonly table: string;
  readonly loto: string;
  readonly reference: DriftWindow;
  readonly current: DriftWindow;
  readonly thresholds: {
    readonly pValue: number;
    readonly psi: number | null;
    readonly pAdjust: PAdjustMethod;
  };
  readonly columns: readonly ColumnDriftCheck[];
  readonly uniformity: UniformityCheck | null;
  /** Series and column of every drifted test; column `numbers` (series null) for the uniformity test. */
  readonly drifted: readonly { readonly uniqueId: string | null; readonly column: string }[];
  readonly skipped: readonly SkippedCheck[];
}

const NOT_CHECKABLE = new Set(['unique_id', 'ds', 'loto']);

const requireThresholds = (thresholds: TableDriftThresholds = {}): TableDriftSummary['thresholds'] => {
  const pValue = thresholds.pValue ?? 0.01;
  if (!(pValue > 0 && pValue < 1)) {
    throw new ConfigError(`thresholds.pValue must be in (0, 1), got ${String(thresholds.pValue)}`);
  }
  const psi = thresholds.psi ?? null;
  if (psi !== null && !(Number.isFinite(psi) && psi > 0)) {
    throw new ConfigError(`thresholds.psi must be a finite number > 0, got ${String(psi)}`);
  }
  const pAdjust = thresholds.pAdjust ?? 'holm';
  if (!(P_ADJUST_METHODS as readonly string[]).includes(pAdjust)) {
    throw new ConfigError(
      `thresholds.pAdjust must be one of ${P_ADJUST_METHODS.join(', ')}, got ${JSON.stringify(pAdjust)}`,
    );
  }
  return { pValue, psi, pAdjust };
};

/** The numeric values of a checked column, one per panel row. */
const columnValues = (panel: LoadedPanel, column: string): Float64Array => {
  if (column === 'y') return panel.y;
  const values = panel.hist[column] ?? panel.futr[column] ?? panel.other[column];
  if (values instanceof Float64Array) return values;
  if (column in panel.stat.columns) {
    throw new ConfigError(
      `column ${column} is static (one value per series), so it cannot drift between windows`,
    );
  }
  throw new ConfigError(`column ${column} of ${panel.table} is not numeric; drift is measured on numbers`);
};

const checkedColumns = (panel: LoadedPanel, asked: readonly string[] | undefined): string[] => {
  if (asked === undefined) return ['y', ...Object.keys(panel.hist).sort(), ...Object.keys(panel.futr).sort()];
  const names = [...new Set(asked)];
  for (const name of names) {
    if (NOT_CHECKABLE.has(name))
      throw new ConfigError(`column ${name} is a key, not a value to check for drift`);
    columnValues(panel, name);
  }
  return names;
};

/** Values of `column` in each window for one series, NaN (NULL) left out. */
const splitWindows = (
  panel: LoadedPanel,
  values: Float64Array,
  rows: { start: number; length: number },
  windows: { reference: DriftWindow; current: DriftWindow },
): { reference: number[]; current: number[] } => {
  const out = { reference: [] as number[], current: [] as number[] };
  for (let row = rows.start; row < rows.start + rows.length; row++) {
    const value = values[row] ?? Number.NaN;
    const window = windowOf(panel.ds[row] ?? '', windows);
    if (window !== undefined && Number.isFinite(value)) out[window].push(value);
  }
  return out;
};

/** Each window's draws (main numbers by ds, in series order N1…Nk), when the game and its series are known. */
const windowDraws = (
  panel: LoadedPanel,
  windows: { reference: DriftWindow; current: DriftWindow },
): { reference: number[][]; current: number[][] } | string => {
  if (!(panel.loto in GAMES)) return `loto ${panel.loto} is not a game the lab knows`;
  const game = GAMES[panel.loto as GameId];
  const mains = seriesIds(game).slice(0, game.mainCount);
  const series = mains.map((id) => panel.series.find((s) => s.uniqueId === id));
  if (series.some((s) => s === undefined))
    return `the check does not read every main series ${mains.join(', ')}`;
  const byDay = new Map<string, number[]>();
  series.forEach((s, j) => {
    for (let row = s!.start; row < s!.start + s!.length; row++) {
      const draw = byDay.get(panel.ds[row]!) ?? new Array<number>(game.mainCount).fill(Number.NaN);
      draw[j] = panel.y[row]!;
      byDay.set(panel.ds[row]!, draw);
    }
  });
  const out = { reference: [] as number[][], current: [] as number[][] };
  for (const [day, draw] of [...byDay].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const window = windowOf(day, windows);
    if (window !== undefined && draw.every(Number.isFinite)) out[window].push(draw);
  }
  return out;
};

const uniformityTests = (
  panel: LoadedPanel,
  windows: { reference: DriftWindow; current: DriftWindow },
  skipped: SkippedCheck[],
): { current: NumberFrequencyUniformity; reference: NumberFrequencyUniformity | null } | null => {
  const draws = windowDraws(panel, windows);
  const skip = (reason: string): null => (skipped.push({ uniqueId: null, column: 'numbers', reason }), null);
  if (typeof draws === 'string') return skip(draws);
  if (draws.current.length === 0) return skip('no complete draw in the current window');
  const design = uniformityDesignOf(GAMES[panel.loto as GameId]);
  try {
    return {
      current: numberFrequencyUniformity(draws.current, design),
      reference: draws.reference.length > 0 ? numberFrequencyUniformity(draws.reference, design) : null,
    };
  } catch (error) {
    if (error instanceof ConfigError)
      return skip(`the drawn numbers break the game's rules: ${error.message}`);
    throw error;
  }
};

const requireRows = (panel: LoadedPanel, windows: { reference: DriftWindow; current: DriftWindow }): void => {
  for (const label of ['reference', 'current'] as const) {
    if (!panel.ds.some((ds) => windowOf(ds, windows) === label)) {
      const { from, to } = windows[label];
      throw new ConfigError(
        `${label} window ${from}..${to} holds no rows of ${panel.loto} in ${panel.table}`,
      );
    }
  }
};

// Each (series, column) test sorts and bins both windows' values: their number is what a check costs.
const requireTestCount = (panel: LoadedPanel, columns: readonly string[]): void => {
  const tests = panel.series.length * columns.length;
  if (tests > TABLE_DRIFT_LIMITS.maxTests) {
    throw new ConfigError(
      `a drift check runs at most ${TABLE_DRIFT_LIMITS.maxTests} (series, column) tests (TABLE_DRIFT_LIMITS.maxTests), got ${panel.series.length} series × ${columns.length} columns = ${tests}; request fewer series or columns`,
    );
  }
};

/** Checks a table's drift between two windows, stores the check and returns its summary. */
export const checkTableDrift = async (options: CheckTableDriftOptions): Promise<TableDriftSummary> => {
  const windows = requireWindows(options.reference, options.current);
  const thresholds = requireThresholds(options.thresholds);
  const asked = options.columns?.filter((name) => name !== 'y');
  const panel = await loadPanel(options.db.data, {
    table: options.table,
    loto: options.loto,
    ...(options.uniqueIds === undefined ? {} : { uniqueIds: options.uniqueIds }),
    ...(asked === undefined ? {} : { columns: asked.filter((name) => !NOT_CHECKABLE.has(name)) }),
    ...(options.db.scope === undefined ? {} : { scope: options.db.scope }),
  });
  const columns = checkedColumns(panel, options.columns);
  requireTestCount(panel, columns);
  requireRows(panel, windows);
  const skipped: SkippedCheck[] = [];
  const measured: { uniqueId: string; column: string; kind: ColumnKind; drift: ColumnDrift }[] = [];
  for (const column of columns) {
    const values = columnValues(panel, column);
    for (const series of panel.series) {
      const split = splitWindows(panel, values, series, windows);
      const empty =
        split.reference.length === 0 ? 'reference' : split.current.length === 0 ? 'current' : null;
      if (empty !== null) {
        skipped.push({ uniqueId: series.uniqueId, column, reason: `no values in the ${empty} window` });
        continue;
      }
      const kind = inferColumnKind([...split.reference, ...split.current]);
      measured.push({
        uniqueId: series.uniqueId,
        column,
        kind,
        drift: columnDrift(split.reference, split.current, kind),
      });
    }
  }
  const uniformity = uniformityTests(panel, windows, skipped);
  const family = [
    ...measured.map((m) => columnDriftPValue(m.drift)),
    ...(uniformity ? [uniformity.current.pValue] : []),
  ];
  const adjusted = adjustPValues(family, thresholds.pAdjust);
  const checks: ColumnDriftCheck[] = measured.map((m, i) => {
    const adjustedPValue = adjusted[i]!;
    const bigEnough = thresholds.psi === null || m.drift.psi >= thresholds.psi;
    return {
      ...m,
      pValue: columnDriftPValue(m.drift),
      adjustedPValue,
      psi: m.drift.psi,
      drifted: adjustedPValue < thresholds.pValue && bigEnough,
    };
  });
  const uniformityCheck: UniformityCheck | null = uniformity && {
    ...uniformity,
    adjustedPValue: adjusted[measured.length]!,
    drifted: adjusted[measured.length]! < thresholds.pValue,
  };
  const { checkId } = await insertDriftCheck(options.db.lab, {
    table_name: options.table,
    loto: options.loto,
    reference_start: windows.reference.from,
    reference_end: windows.reference.to,
    window_start: windows.current.from,
    window_end: windows.current.to,
    metrics: driftRows(checks, uniformityCheck, thresholds),
  });
  return {
    checkId,
    table: options.table,
    loto: options.loto,
    ...windows,
    thresholds,
    columns: checks,
    uniformity: uniformityCheck,
    drifted: [
      ...checks.filter((c) => c.drifted).map((c) => ({ uniqueId: c.uniqueId, column: c.column })),
      ...(uniformityCheck?.drifted ? [{ uniqueId: null, column: 'numbers' }] : []),
    ],
    skipped,
  };
};
