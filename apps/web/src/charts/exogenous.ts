/** Charts of a table's exogenous analysis. */
import type { ChartOption } from '../components/EChart.js';

/** The pair fields the heatmap reads. */
export interface CorrelationPair {
  readonly uniqueId: string;
  readonly column: string;
  readonly pearson: { readonly coefficient: number | null };
  readonly spearman: { readonly coefficient: number | null };
  readonly kendall: { readonly coefficient: number | null };
}

/** Which correlation the heatmap shows. */
export type CorrelationMeasure = 'pearson' | 'spearman' | 'kendall';

/**
 * Series × column heatmap of one correlation, on a fixed −1…1 diverging scale so a faint
 * correlation looks faint (lottery draws should show almost none). Undefined cells are left empty.
 */
export const correlationHeatmap = (
  pairs: readonly CorrelationPair[],
  axes: { readonly series: readonly string[]; readonly columns: readonly string[] },
  measure: CorrelationMeasure,
): ChartOption => ({
  animation: false,
  tooltip: { position: 'top' },
  grid: { left: 64, right: 24, top: 16, bottom: 120 },
  xAxis: { type: 'category', data: [...axes.columns], axisLabel: { rotate: 45 }, splitArea: { show: true } },
  yAxis: { type: 'category', data: [...axes.series], splitArea: { show: true } },
  visualMap: {
    min: -1,
    max: 1,
    calculable: true,
    orient: 'horizontal',
    left: 'center',
    bottom: 0,
    inRange: { color: ['#2166ac', '#f7f7f7', '#b2182b'] },
  },
  series: [
    {
      type: 'heatmap',
      name: measure,
      data: pairs.flatMap((pair) => {
        const value = pair[measure].coefficient;
        const x = axes.columns.indexOf(pair.column);
        const y = axes.series.indexOf(pair.uniqueId);
        return value === null || x < 0 || y < 0 ? [] : [[x, y, Number(value.toFixed(3))]];
      }),
      label: { show: true, fontSize: 9 },
    },
  ],
});
