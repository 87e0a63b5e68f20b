/** Shared pieces of the ECharts options the lab draws. */
import type { ChartOption } from '../components/EChart.js';

/** A named line over a shared x axis. */
export interface LineSeries {
  readonly name: string;
  readonly data: readonly (readonly [string | number, number | null])[];
  /** 0 = left axis, 1 = right axis. @default 0 */
  readonly axis?: 0 | 1;
  readonly dashed?: boolean;
  readonly showSymbol?: boolean;
}

/** Options of {@link lineChart}. */
export interface LineChartOptions {
  readonly series: readonly LineSeries[];
  readonly xType: 'time' | 'value' | 'category';
  readonly yNames?: readonly [string, string?];
  /** Log-scale the left axis (loss curves span decades). @default false */
  readonly logY?: boolean;
  /** Add a zoom slider under the chart. @default false */
  readonly zoom?: boolean;
  /** Formats tooltip/axis values, e.g. bytes. */
  readonly valueFormatter?: (value: number) => string;
  /** Extra series (bands, markers) appended as they are. */
  readonly extra?: readonly Record<string, unknown>[];
}

/** A line chart with tooltip and legend; `animation: false` so streamed points do not jump. */
export const lineChart = (options: LineChartOptions): ChartOption => {
  const rightAxis = options.series.some((line) => line.axis === 1);
  const formatter = options.valueFormatter;
  const yAxis = (index: 0 | 1) => ({
    type: index === 0 && options.logY === true ? 'log' : 'value',
    name: options.yNames?.[index],
    scale: true,
    axisLabel: formatter === undefined ? {} : { formatter: (value: number) => formatter(value) },
    splitLine: { show: index === 0 },
  });
  return {
    animation: false,
    tooltip: {
      trigger: 'axis',
      ...(formatter === undefined ? {} : { valueFormatter: (value: number) => formatter(value) }),
    },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 56, right: rightAxis ? 56 : 24, top: 36, bottom: options.zoom === true ? 64 : 32 },
    xAxis: { type: options.xType },
    yAxis: rightAxis ? [yAxis(0), yAxis(1)] : [yAxis(0)],
    dataZoom: options.zoom === true ? [{ type: 'inside' }, { type: 'slider' }] : [],
    series: [
      ...options.series.map((line) => ({
        type: 'line',
        name: line.name,
        data: line.data,
        yAxisIndex: line.axis ?? 0,
        showSymbol: line.showSymbol ?? false,
        connectNulls: false,
        lineStyle: line.dashed === true ? { type: 'dashed' } : undefined,
      })),
      ...(options.extra ?? []),
    ],
  };
};

/** A bar chart over categories. */
export const barChart = (
  categories: readonly string[],
  values: readonly number[],
  name: string,
): ChartOption => ({
  animation: false,
  tooltip: { trigger: 'axis' },
  grid: { left: 56, right: 24, top: 24, bottom: 32 },
  xAxis: { type: 'category', data: categories },
  yAxis: { type: 'value' },
  series: [{ type: 'bar', name, data: values }],
});

/** A number from a JSON value (bigint columns arrive as strings); null when not finite. */
export const numeric = (value: unknown): number | null => {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
};
