/** Charts of a run's search: optimisation history, parameter importance, parallel coordinates. */
import type { ChartOption } from '../components/EChart.js';
import { numeric } from './common.js';

/** The trial fields these charts read. */
export interface TrialPoint {
  readonly number: number;
  readonly state: string;
  readonly value: number | null;
  readonly params: Readonly<Record<string, unknown>>;
}

const completed = (trials: readonly TrialPoint[]): (TrialPoint & { value: number })[] =>
  trials.filter(
    (trial): trial is TrialPoint & { value: number } =>
      trial.state === 'COMPLETE' && numeric(trial.value) !== null,
  );

/** Each completed trial's value and the best value so far (lower is better, as the lab minimises). */
export const optimisationHistory = (
  trials: readonly TrialPoint[],
): { number: number; value: number; best: number }[] => {
  let best = Infinity;
  return completed(trials)
    .sort((a, b) => a.number - b.number)
    .map((trial) => {
      best = Math.min(best, trial.value);
      return { number: trial.number, value: trial.value, best };
    });
};

/** Scatter of trial values with the best-so-far line. */
export const optimisationHistoryChart = (
  trials: readonly TrialPoint[],
  labels: { readonly value: string; readonly best: string },
): ChartOption => {
  const history = optimisationHistory(trials);
  return {
    animation: false,
    tooltip: { trigger: 'item' },
    legend: { top: 0 },
    grid: { left: 56, right: 24, top: 36, bottom: 32 },
    xAxis: { type: 'value', name: '#', minInterval: 1 },
    yAxis: { type: 'value', scale: true },
    series: [
      { type: 'scatter', name: labels.value, data: history.map((h) => [h.number, h.value]) },
      {
        type: 'line',
        name: labels.best,
        step: 'end',
        showSymbol: false,
        data: history.map((h) => [h.number, h.best]),
      },
    ],
  };
};

/** Pearson correlation of two equally long lists; null when either is constant or too short. */
export const pearson = (xs: readonly number[], ys: readonly number[]): number | null => {
  const n = xs.length;
  if (n < 3 || ys.length !== n) return null;
  const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / n;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i += 1) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
};

/** One parameter's importance estimate. */
export interface ParamImportance {
  readonly param: string;
  /** Pearson correlation of the parameter with the trial value, in [-1, 1]. */
  readonly correlation: number;
}

/**
 * A deliberately simple importance: |Pearson correlation| between each numeric parameter and the
 * trial value over completed trials (not fANOVA); categorical parameters are left out.
 */
export const parameterImportance = (trials: readonly TrialPoint[]): ParamImportance[] => {
  const done = completed(trials);
  const names = [...new Set(done.flatMap((trial) => Object.keys(trial.params)))];
  const result: ParamImportance[] = [];
  for (const param of names) {
    const pairs = done
      .map((trial) => [numeric(trial.params[param]), trial.value] as const)
      .filter((pair): pair is readonly [number, number] => pair[0] !== null);
    if (pairs.length !== done.length) continue;
    const correlation = pearson(
      pairs.map(([x]) => x),
      pairs.map(([, y]) => y),
    );
    if (correlation !== null) result.push({ param, correlation });
  }
  return result.sort((a, b) => Math.abs(b.correlation) - Math.abs(a.correlation));
};

/** Horizontal bars of |correlation| per parameter. */
export const importanceChart = (importance: readonly ParamImportance[]): ChartOption => ({
  animation: false,
  tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
  grid: { left: 140, right: 24, top: 16, bottom: 32 },
  xAxis: { type: 'value', min: 0, max: 1 },
  yAxis: { type: 'category', data: importance.map((entry) => entry.param).reverse() },
  series: [
    {
      type: 'bar',
      data: importance.map((entry) => Math.abs(entry.correlation)).reverse(),
    },
  ],
});

/** Parallel coordinates: one axis per parameter plus the value; categories become category axes. */
export const parallelChart = (trials: readonly TrialPoint[], valueLabel: string): ChartOption => {
  const done = completed(trials);
  const names = [...new Set(done.flatMap((trial) => Object.keys(trial.params)))];
  const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value ?? null));
  const axes = names.map((name, dim) => {
    const values = done.map((trial) => trial.params[name]);
    const isNumeric = values.every((value) => numeric(value) !== null);
    return isNumeric
      ? { dim, name, type: 'value', scale: true }
      : { dim, name, type: 'category', data: [...new Set(values.map(text))] };
  });
  return {
    animation: false,
    parallelAxis: [...axes, { dim: names.length, name: valueLabel, type: 'value', scale: true }],
    parallel: { left: 48, right: 64, top: 48, bottom: 32 },
    series: [
      {
        type: 'parallel',
        lineStyle: { width: 1.5, opacity: 0.6 },
        data: done.map((trial) => [
          ...names.map((name, index) =>
            axes[index]?.type === 'value' ? numeric(trial.params[name]) : text(trial.params[name]),
          ),
          trial.value,
        ]),
      },
    ],
  };
};
