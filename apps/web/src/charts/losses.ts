/** Train/valid loss curves from recorded steps, one pair of lines per trial (or the final fit). */
import type { ChartOption } from '../components/EChart.js';
import { lineChart, type LineSeries } from './common.js';

/** The step fields this chart reads. */
export interface StepPoint {
  readonly trial_id: number | null;
  readonly step: number;
  readonly train_loss: number | null;
  readonly valid_loss: number | null;
}

/** Labels of the loss chart. */
export interface LossLabels {
  readonly train: string;
  readonly valid: string;
  /** Name of one trial's lines, e.g. `trial 3`. */
  readonly trial: (trialId: number) => string;
  readonly final: string;
}

/** Options of {@link lossChart}. */
export interface LossChartOptions {
  /** Only the last this many trials are drawn. @default 12 */
  readonly maxTrials?: number;
  /**
   * A logarithmic loss axis, so one diverged trial does not flatten the others. Values ≤ 0 (a
   * likelihood loss can go negative) have no place on it and are left out as gaps. @default false
   */
  readonly logY?: boolean;
}

/**
 * Lines per trial; the final fit (trial_id null) is drawn too. Steps arrive in id order, not
 * necessarily by step, so each line is sorted. Only the last `maxTrials` trials are drawn, so
 * a 200-trial search stays readable.
 */
export const lossChart = (
  steps: readonly StepPoint[],
  labels: LossLabels,
  { maxTrials = 12, logY = false }: LossChartOptions = {},
): ChartOption => {
  const shownValue = (value: number | null): number | null =>
    logY && value !== null && value <= 0 ? null : value;
  const groups = new Map<number | null, StepPoint[]>();
  for (const step of steps) {
    const group = groups.get(step.trial_id) ?? [];
    group.push(step);
    groups.set(step.trial_id, group);
  }
  const keys = [...groups.keys()];
  const shown = [
    ...keys.filter((key) => key === null),
    ...keys.filter((key) => key !== null).slice(-maxTrials),
  ];
  const series: LineSeries[] = [];
  for (const key of shown) {
    const points = [...(groups.get(key) ?? [])].sort((a, b) => a.step - b.step);
    const name = key === null ? labels.final : labels.trial(key);
    series.push({
      name: `${name} · ${labels.train}`,
      data: points.map((p) => [p.step, shownValue(p.train_loss)]),
    });
    if (points.some((p) => p.valid_loss !== null)) {
      series.push({
        name: `${name} · ${labels.valid}`,
        data: points.filter((p) => p.valid_loss !== null).map((p) => [p.step, shownValue(p.valid_loss)]),
        dashed: true,
        showSymbol: true,
      });
    }
  }
  return lineChart({ series, xType: 'value', zoom: true, logY });
};
