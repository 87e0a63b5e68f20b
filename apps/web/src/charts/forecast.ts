/**
 * Forecast and cross-validation charts. NeuralForecast names outputs `model || suffix`: '' is the
 * point forecast, '-median' the median, '-lo-<level>' / '-hi-<level>' the interval bounds.
 */
import type { ChartOption } from '../components/EChart.js';
import { lineChart, type LineSeries } from './common.js';

/** A row of predictions or cv results (the fields these charts use). */
export interface ForecastPoint {
  readonly unique_id: string;
  readonly ds: string | null;
  readonly step: number | null;
  readonly model: string;
  readonly suffix: string;
  readonly value: number;
}

/** What a suffix means. */
export type SuffixRole =
  | { readonly kind: 'point' }
  | { readonly kind: 'median' }
  | { readonly kind: 'bound'; readonly side: 'lo' | 'hi'; readonly level: number }
  | { readonly kind: 'other'; readonly label: string };

/** Parses an output suffix ('' | '-median' | '-lo-90' | '-hi-80.5' | anything else). */
export const suffixRole = (suffix: string): SuffixRole => {
  if (suffix === '') return { kind: 'point' };
  if (suffix === '-median') return { kind: 'median' };
  const bound = /^-(lo|hi)-(\d+(?:\.\d+)?)$/.exec(suffix);
  if (bound !== null) return { kind: 'bound', side: bound[1] as 'lo' | 'hi', level: Number(bound[2]) };
  return { kind: 'other', label: suffix.replace(/^-/, '') };
};

/** The x value of a row: its day, else its step. */
export const xOf = (row: { readonly ds: string | null; readonly step: number | null }): string | number =>
  row.ds ?? row.step ?? 0;

/** One interval band: lower and upper bound per x, for one model and level. */
export interface Band {
  readonly model: string;
  readonly level: number;
  readonly points: readonly { readonly x: string | number; readonly lo: number; readonly hi: number }[];
}

/** Pairs `-lo-<level>` and `-hi-<level>` rows of each model into bands (unpaired bounds are dropped). */
export const intervalBands = (rows: readonly ForecastPoint[]): Band[] => {
  const byKey = new Map<
    string,
    { model: string; level: number; lo: Map<string | number, number>; hi: Map<string | number, number> }
  >();
  for (const row of rows) {
    const role = suffixRole(row.suffix);
    if (role.kind !== 'bound') continue;
    const key = `${row.model}\u0000${role.level}`;
    let entry = byKey.get(key);
    if (entry === undefined) {
      entry = { model: row.model, level: role.level, lo: new Map(), hi: new Map() };
      byKey.set(key, entry);
    }
    entry[role.side].set(xOf(row), row.value);
  }
  return [...byKey.values()]
    .map(({ model, level, lo, hi }) => ({
      model,
      level,
      points: [...lo.entries()]
        .filter(([x]) => hi.has(x))
        .map(([x, low]) => ({ x, lo: low, hi: hi.get(x) as number })),
    }))
    .filter((band) => band.points.length > 0)
    .sort((a, b) => b.level - a.level);
};

/**
 * A band drawn as two stacked series: an invisible lower line and the (hi - lo) area on top of it,
 * the usual ECharts way of shading between two curves.
 */
const bandSeries = (band: Band, xType: 'time' | 'value'): Record<string, unknown>[] => {
  const stack = `band-${band.model}-${band.level}`;
  const name = `${band.model} ${band.level}%`;
  const x = (value: string | number) => (xType === 'value' ? Number(value) : value);
  return [
    {
      type: 'line',
      name,
      stack,
      data: band.points.map((p) => [x(p.x), p.lo]),
      lineStyle: { opacity: 0 },
      symbol: 'none',
      tooltip: { show: false },
    },
    {
      type: 'line',
      name,
      stack,
      data: band.points.map((p) => [x(p.x), p.hi - p.lo]),
      lineStyle: { opacity: 0 },
      areaStyle: { opacity: 0.2 },
      symbol: 'none',
      tooltip: { show: false },
    },
  ];
};

/** Options of {@link forecastChart}. */
export interface ForecastChartOptions {
  /** Actual values before (and possibly over) the forecast. */
  readonly history?: readonly (readonly [string | number, number | null])[];
  readonly rows: readonly ForecastPoint[];
  readonly historyLabel: string;
}

/** History + point/median forecasts per model + interval bands, for one series. */
export const forecastChart = ({ history = [], rows, historyLabel }: ForecastChartOptions): ChartOption => {
  const xType =
    rows.some((row) => row.ds !== null) || history.some(([x]) => typeof x === 'string') ? 'time' : 'value';
  const lines = new Map<string, [string | number, number][]>();
  for (const row of rows) {
    const role = suffixRole(row.suffix);
    if (role.kind === 'bound') continue;
    const name = role.kind === 'point' ? row.model : `${row.model}${row.suffix}`;
    const points = lines.get(name) ?? [];
    points.push([xOf(row), row.value]);
    lines.set(name, points);
  }
  const series: LineSeries[] = [
    ...(history.length > 0 ? [{ name: historyLabel, data: history }] : []),
    ...[...lines.entries()].map(([name, data]) => ({
      name,
      data,
      showSymbol: true,
      dashed: name.includes('-'),
    })),
  ];
  return lineChart({
    series,
    xType,
    zoom: true,
    extra: intervalBands(rows).flatMap((band) => bandSeries(band, xType)),
  });
};

/** Distinct cutoffs of cv rows, in order. */
export const cutoffsOf = (
  rows: readonly { readonly cutoff: string | null; readonly cutoff_step: number | null }[],
): string[] => [...new Set(rows.map((row) => String(row.cutoff ?? row.cutoff_step ?? '')))].sort();
