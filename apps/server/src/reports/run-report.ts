/**
 * A run's report as one HTML page, from data already loaded (see load.ts): what the run page
 * shows — tags, spec and parameters, the data version, metrics beside the five naive baselines
 * with their Diebold–Mariano tests, cross-validation by fold, forecast against actual, trials and
 * resources — opened by the plain verdict on chance.
 */
import type {
  ModelRunRow,
  ResourceSampleRow,
  RunDatasetRow,
  RunFeatureSetRow,
  TrialListRow,
} from '@nflab/store';
import { esc, keyValues, num, page, table, verdict } from './html.js';
import { lineChart, type LineSeries } from './svg.js';

/** A forecast point with its actual (cross-validation or held-out test), as stored. */
export interface ForecastPoint {
  readonly unique_id: string;
  /** The date or step the point forecasts. */
  readonly at: string;
  readonly y: number | null;
  readonly yhat: number;
}

/** Everything a run report shows. */
export interface RunReportData {
  readonly run: ModelRunRow;
  readonly trials: readonly TrialListRow[];
  /** How many trials the run has (the report lists at most `trials.length`). */
  readonly trialCount: number;
  readonly points: readonly ForecastPoint[];
  readonly resources: readonly ResourceSampleRow[];
  /** When the report was made (ISO). */
  readonly madeAt: string;
  /** The run's tags. @default none */
  readonly tags?: Readonly<Record<string, string>>;
  /** The dataset and feature set the run read. @default none recorded */
  readonly dataVersion?: {
    readonly dataset: RunDatasetRow | null;
    readonly feature_set: RunFeatureSetRow | null;
  };
}

/** Series shown in the forecast chart; more are listed by name only. */
const CHART_SERIES = 4;

type Evaluated = {
  readonly overall?: Readonly<Record<string, unknown>>;
  readonly baselines?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly significance?: Readonly<
    Record<string, { statistic?: number; pValue?: number; better?: string } | null>
  >;
  readonly beats_all_baselines?: boolean;
  readonly baselines_skipped?: string;
  readonly points?: number;
};

const asRecord = (value: unknown): Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/** The evaluated set the verdict rests on: the held-out test part, else cross-validation. */
const evaluatedSet = (metrics: Readonly<Record<string, unknown>>): [string, Evaluated] | null => {
  for (const key of ['test', 'cv']) {
    const set = metrics[key];
    if (typeof set === 'object' && set !== null) return [key, set as Evaluated];
  }
  return null;
};

/** Does the run beat chance, in one sentence a reader cannot misread. */
export const runVerdict = (
  metrics: Readonly<Record<string, unknown>>,
): { beats: boolean | null; text: string } => {
  const found = evaluatedSet(metrics);
  if (found === null)
    return {
      beats: null,
      text: 'This run recorded no forecasts with known actuals, so whether it beats chance is unknown.',
    };
  const [source, set] = found;
  const where = source === 'test' ? 'the held-out test points' : 'the cross-validation points';
  if (set.beats_all_baselines === true)
    return {
      beats: true,
      text: `On ${where} the model's MAE is below every naive baseline's and the Diebold–Mariano test finds it significantly better than each (α = 0.05).`,
    };
  if (set.beats_all_baselines === false)
    return {
      beats: false,
      text: `On ${where} the model does not beat all naive baselines with significance (α = 0.05): its forecasts are not shown to be better than chance.`,
    };
  return {
    beats: null,
    text: `The baselines could not be computed on ${where}${set.baselines_skipped ? ` (${set.baselines_skipped})` : ''}, so whether the model beats chance is not established.`,
  };
};

const metricsSection = (metrics: Readonly<Record<string, unknown>>): string => {
  const found = evaluatedSet(metrics);
  const own = Object.fromEntries(
    Object.entries(metrics).filter(([k]) => !['test', 'cv', 'ensemble', 'importance'].includes(k)),
  );
  let out = `<section><h2>Metrics</h2>${keyValues(own)}`;
  if (found !== null) {
    const [source, set] = found;
    const overall = asRecord(set.overall);
    const names = Object.keys(overall);
    const rows = [['model', overall] as const, ...Object.entries(set.baselines ?? {})].map(
      ([name, values]) => [esc(name), ...names.map((m) => esc(num(asRecord(values)[m])))],
    );
    out += `<h3>${esc(source === 'test' ? 'Held-out test' : 'Cross-validation')} (${esc(num(set.points))} points): model vs the naive baselines</h3>`;
    out += table(['forecast', ...names], rows);
    const significance = Object.entries(set.significance ?? {});
    if (significance.length > 0) {
      out += '<h3>Diebold–Mariano test, model vs each baseline</h3>';
      out += table(
        ['baseline', 'statistic', 'p-value', 'significantly better (α = 0.05)'],
        significance.map(([id, test]) => [
          esc(id),
          esc(num(test?.statistic)),
          esc(num(test?.pValue)),
          esc(test === null ? 'not computable' : (test.better ?? '—')),
        ]),
      );
    }
    if (set.baselines_skipped !== undefined) out += `<p>Baselines skipped: ${esc(set.baselines_skipped)}</p>`;
  }
  return `${out}</section>`;
};

type Folds = {
  readonly folds?: readonly {
    fold: number;
    cutoffs: readonly unknown[];
    points: number;
    metrics: Record<string, unknown>;
  }[];
  readonly fold_summary?: Readonly<Record<string, Readonly<Record<string, unknown>> | null>>;
};

/** Cross-validation by fold and each metric's mean, std, min and max across the folds. */
const foldsSection = (metrics: Readonly<Record<string, unknown>>): string => {
  const cv = asRecord(metrics.cv) as Folds;
  const folds = cv.folds ?? [];
  if (folds.length === 0) return '';
  const names = Object.keys(folds[0]?.metrics ?? {});
  const rows = folds.map((fold) => [
    esc(fold.fold + 1),
    esc(fold.cutoffs.join(', ')),
    esc(fold.points),
    ...names.map((m) => esc(num(fold.metrics[m]))),
  ]);
  const stats = (['mean', 'std', 'min', 'max'] as const).map((stat) => [
    esc(stat === 'std' ? 'std (n − 1)' : stat),
    '',
    '',
    ...names.map((m) => esc(num(cv.fold_summary?.[m]?.[stat]))),
  ]);
  return `<section><h2>Cross-validation by fold</h2>${table(['fold', 'cutoff', 'points', ...names], [...rows, ...stats])}</section>`;
};

/** Tags and the exact data version (dataset and feature set with their fingerprints). */
const tagsAndDataSection = (data: RunReportData): string => {
  const { dataset, feature_set: features } = data.dataVersion ?? { dataset: null, feature_set: null };
  const tags = Object.keys(data.tags ?? {}).length === 0 ? '<p>No tags.</p>' : keyValues(data.tags ?? {});
  const version = keyValues({
    dataset: dataset?.name ?? null,
    'dataset.rows': dataset?.row_count ?? null,
    'dataset.dates': dataset === null ? null : `${dataset.ds_min ?? '—'} … ${dataset.ds_max ?? '—'}`,
    'dataset.fingerprint': dataset?.fingerprint ?? null,
    feature_set: features?.name ?? null,
    'feature_set.columns': features?.columns ?? null,
    'feature_set.fingerprint': features?.fingerprint ?? null,
  });
  return `<section><h2>Tags</h2>${tags}<h3>Data version</h3>${version}</section>`;
};

const PALETTE = ['#1c7ed6', '#e8590c'];

const forecastSection = (points: readonly ForecastPoint[]): string => {
  const ids = [...new Set(points.map((p) => p.unique_id))].sort();
  if (ids.length === 0)
    return '<section><h2>Forecast vs actual</h2><p>No stored forecasts with actuals.</p></section>';
  const charts = ids.slice(0, CHART_SERIES).map((id) => {
    const mine = points.filter((p) => p.unique_id === id);
    // Numeric order keeps 'step 10' after 'step 9'; ISO dates sort the same either way.
    const x = [...new Set(mine.map((p) => p.at))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    const index = new Map(x.map((at, i) => [at, i]));
    const actual: (number | null)[] = x.map(() => null);
    const forecast: (number | null)[] = x.map(() => null);
    for (const p of mine) {
      const i = index.get(p.at) as number;
      actual[i] = p.y;
      forecast[i] = p.yhat;
    }
    const series: LineSeries[] = [
      { name: 'actual', color: PALETTE[0] as string, y: actual },
      { name: 'forecast', color: PALETTE[1] as string, y: forecast, dashed: true },
    ];
    return `<h3>${esc(id)}</h3>${lineChart({ title: `forecast vs actual, ${id}`, x, series })}`;
  });
  const more =
    ids.length > CHART_SERIES ? `<p>Also forecast: ${esc(ids.slice(CHART_SERIES).join(', '))}</p>` : '';
  return `<section><h2>Forecast vs actual</h2>${charts.join('')}${more}</section>`;
};

const trialsSection = (trials: readonly TrialListRow[], count: number): string => {
  if (count === 0) return '';
  const shown = count > trials.length ? ` (first ${trials.length} of ${count})` : '';
  return `<section><h2>Trials${esc(shown)}</h2>${table(
    ['#', 'state', 'value', 'seconds', 'params'],
    trials.map((t) => [
      esc(t.number),
      esc(t.state),
      esc(num(t.value)),
      esc(num(t.duration_seconds)),
      esc(JSON.stringify(t.params)),
    ]),
  )}</section>`;
};

const peak = (rows: readonly ResourceSampleRow[], key: keyof ResourceSampleRow): number | null => {
  const values = rows.map((r) => r[key]).filter((v): v is number => typeof v === 'number');
  return values.length === 0 ? null : Math.max(...values);
};

const resourcesSection = (run: ModelRunRow, samples: readonly ResourceSampleRow[]): string => {
  const summary = asRecord(run.resource_summary);
  const peaks =
    samples.length === 0
      ? ''
      : table(
          ['samples', 'peak CPU (process)', 'peak RSS bytes', 'peak heap bytes'],
          [
            [
              esc(samples.length),
              esc(num(peak(samples, 'cpu_process'))),
              esc(num(peak(samples, 'rss_bytes'))),
              esc(num(peak(samples, 'heap_bytes'))),
            ],
          ],
        );
  if (Object.keys(summary).length === 0 && peaks === '') return '';
  return `<section><h2>Resources</h2>${keyValues(summary)}${peaks}</section>`;
};

/** The run's report page. */
export const renderRunReport = (data: RunReportData): string => {
  const { run } = data;
  const metrics = asRecord(run.metrics);
  const { beats, text } = runVerdict(metrics);
  const title = `Run report: ${run.model_name ?? 'run'} on ${run.loto ?? '—'}`;
  const overview = keyValues({
    run: run.id,
    status: run.status,
    model: run.model_name,
    table: run.table_name,
    loto: run.loto,
    unique_ids: run.unique_ids.join(', '),
    backend: run.backend,
    horizon: run.horizon,
    loss: run.loss,
    started: run.start_time?.toISOString() ?? null,
    ended: run.end_time?.toISOString() ?? null,
    duration_seconds: run.duration_seconds,
    sweep: run.sweep_id,
  });
  const error =
    run.error_message === null ? '' : `<section><h2>Error</h2><pre>${esc(run.error_message)}</pre></section>`;
  const body = [
    verdict(beats, text),
    `<section><h2>Run</h2>${overview}</section>`,
    tagsAndDataSection(data),
    error,
    metricsSection(metrics),
    foldsSection(metrics),
    forecastSection(data.points),
    `<section><h2>Best parameters</h2>${keyValues(asRecord(run.best_params))}</section>`,
    `<section><h2>Spec</h2><pre>${esc(JSON.stringify(run.spec, null, 2))}</pre></section>`,
    trialsSection(data.trials, data.trialCount),
    resourcesSection(run, data.resources),
  ].join('\n');
  return page({ title, subtitle: `Run ${run.id} · made ${data.madeAt}`, body });
};
