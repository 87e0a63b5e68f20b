/**
 * Fixtures shared by the server, CLI and browser tests of the analyses: a sweep of three finished
 * runs with cross-validation rows on the same eight points (two series, one window of four) and
 * stored metrics beside the historical mean, plus one queued run; a small data table with one
 * Granger-causing column; and a KernelSHAP importance run as the runner records it.
 */
import type { Queryable } from './db.js';
import { insertFeatureImportanceRows } from './repos/feature-importance.js';
import { insertCvResultRows } from './repos/run-outputs.js';

/** Actual values of the eight shared points (N1 then N2). */
export const COMPARABLE_Y = [3, 5, 2, 8, 6, 1, 4, 7] as const;

/** The three runs' errors y − ŷ: MAE 0.625, 1.425 and 1.775 (the historical mean scores 1.6). */
export const COMPARABLE_ERRORS = {
  AutoMLP: [0.5, -1, 0.2, 1.5, -0.3, 0.8, -0.6, 0.1],
  AutoNHITS: [1.2, -2, 0.9, 2.5, -1.1, 1.6, -1.4, 0.7],
  AutoTiDE: [2, -0.4, 1.8, -3, 2.2, -0.5, 2.4, -1.9],
} as const;

/** The stored DM test of each run against the historical mean (two-sided; negative: the run is better). */
const DM = {
  AutoMLP: { statistic: -2.9, pValue: 0.004 },
  AutoNHITS: { statistic: -0.5, pValue: 0.6 },
  AutoTiDE: { statistic: 1.5, pValue: 0.2 },
} as const;

/** Ids of what {@link seedComparableRuns} wrote. */
export interface ComparableRuns {
  readonly sweepId: string;
  /** AutoMLP, AutoNHITS, AutoTiDE: finished, with cv rows. */
  readonly runIds: readonly [string, string, string];
  /** AutoKAN: queued, nothing evaluated. */
  readonly queuedId: string;
}

/** Writes the fixture; see the module comment. */
export const seedComparableRuns = async (db: Queryable): Promise<ComparableRuns> => {
  const sweep = await db.query<{ id: string }>(
    `INSERT INTO nf_sweeps (name, spec) VALUES ('grid', '{}') RETURNING id`,
  );
  const sweepId = sweep.rows[0]?.id as string;
  const runIds: string[] = [];
  for (const model of ['AutoMLP', 'AutoNHITS', 'AutoTiDE'] as const) {
    const errors = COMPARABLE_ERRORS[model];
    const mae = errors.reduce((sum, e) => sum + Math.abs(e), 0) / errors.length;
    const metrics = {
      metric: 'mae',
      cv: {
        points: 8,
        overall: { mae },
        baselines: { historic_average: { mae: 1.6 } },
        significance: { historic_average: DM[model] },
      },
    };
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO nf_model_runs (model_name, status, sweep_id, metrics) VALUES ($1, 'finished', $2, $3) RETURNING id`,
      [model, sweepId, JSON.stringify(metrics)],
    );
    const id = rows[0]?.id as string;
    runIds.push(id);
    await insertCvResultRows(db, id, {
      model,
      rows: errors.map((e, i) => ({
        unique_id: i < 4 ? 'N1' : 'N2',
        ds: `2024-01-0${(i % 4) + 2}`,
        step: null,
        cutoff: '2024-01-01',
        cutoff_step: null,
        y: COMPARABLE_Y[i] as number,
        suffix: '',
        value: (COMPARABLE_Y[i] as number) - e,
      })),
    });
  }
  const queued = await db.query<{ id: string }>(
    `INSERT INTO nf_model_runs (model_name, status, sweep_id) VALUES ('AutoKAN', 'queued', $1) RETURNING id`,
    [sweepId],
  );
  return { sweepId, runIds: runIds as [string, string, string], queuedId: queued.rows[0]?.id as string };
};

/**
 * A small data table `nf_loto_exog_test` (game 'g', series A and B, 60 weekly draws): in A, y follows
 * hist_lead one draw later (hist_lead Granger-causes y); in B it does not; futr_noise is noise and
 * has one NULL in B.
 */
export const createExogenousTestTable = async (db: Queryable): Promise<void> => {
  await db.query(`CREATE TABLE nf_loto_exog_test (loto TEXT, unique_id TEXT, ds DATE, y DOUBLE PRECISION,
    hist_lead DOUBLE PRECISION, futr_noise DOUBLE PRECISION)`);
  const rows: string[] = [];
  for (const id of ['A', 'B']) {
    let lead = 0;
    for (let t = 0; t < 60; t += 1) {
      const previous = lead;
      lead = Math.sin(t * 1.7 + (id === 'A' ? 0 : 2)) * 5;
      const y = id === 'A' ? 2 * previous + Math.cos(t * 3.1) : Math.cos(t * 2.3) * 3;
      const noise = Math.sin(t * 12.9898) * 4;
      const ds = new Date(Date.UTC(2020, 0, 1 + 7 * t)).toISOString().slice(0, 10);
      rows.push(`('g', '${id}', '${ds}', ${y}, ${lead}, ${t === 5 && id === 'B' ? 'NULL' : noise})`);
    }
  }
  await db.query(`INSERT INTO nf_loto_exog_test VALUES ${rows.join(',')}`);
};

/** SHAP values of the fixture's two windows (N1, N2) for its three columns, and each window's E[f] and f(x). */
export const IMPORTANCE_FIXTURE = {
  features: ['futr_signal', 'hist_noise', 'futr_month'],
  values: [
    [2.5, -0.25, 0.5],
    [-1.5, 0.75, 0.25],
  ],
  windows: [
    { unique_id: 'N1', cutoff: '2024-03-01', expected_value: 20, fx: 22.75 },
    { unique_id: 'N2', cutoff: '2024-03-01', expected_value: 20, fx: 19.5 },
  ],
} as const;

/**
 * A finished KernelSHAP importance run (operation 'importance', linked to a finished parent) with
 * its all-series and per-series rows and its summary in metrics.importance; returns its id.
 */
export const seedImportanceRun = async (db: Queryable): Promise<string> => {
  const parent = await db.query<{ id: string }>(
    `INSERT INTO nf_model_runs (model_name, status) VALUES ('auto_nhits', 'finished') RETURNING id`,
  );
  const { features, values, windows } = IMPORTANCE_FIXTURE;
  const importance = (j: number, picked: readonly (readonly number[])[]) =>
    picked.reduce((sum, row) => sum + Math.abs(row[j] as number), 0) / picked.length;
  const rank = (scores: number[]) => scores.map((v) => 1 + scores.filter((w) => w > v).length);
  const overall = features.map((_, j) => importance(j, values));
  const summary = {
    method: 'kernel_shap',
    windows: windows.map(({ unique_id, cutoff }) => ({ unique_id, cutoff })),
    series: 2,
    ranking: features
      .map((feature, j) => ({
        feature,
        kind: feature.slice(0, 4),
        importance: overall[j],
        rank: rank(overall)[j],
      }))
      .sort((a, b) => (a.rank as number) - (b.rank as number)),
    nsamples: 'auto',
    seed: 0,
    window_values: windows.map(({ fx, expected_value }) => ({ fx, expected_value, exact: true })),
  };
  const run = await db.query<{ id: string }>(
    `INSERT INTO nf_model_runs (model_name, status, operation, parent_run_id, metrics)
     VALUES ('auto_nhits', 'finished', 'importance', $1, $2) RETURNING id`,
    [parent.rows[0]?.id, JSON.stringify({ importance: summary })],
  );
  const id = run.rows[0]?.id as string;
  const rows = [null, 'N1', 'N2'].flatMap((uniqueId, scope) => {
    const picked = scope === 0 ? values : [values[scope - 1] as readonly number[]];
    const scores = features.map((_, j) => importance(j, picked));
    return features.map((feature, j) => ({
      method: 'kernel_shap' as const,
      feature,
      unique_id: uniqueId,
      importance: scores[j] as number,
      std: null,
      ci_low: null,
      ci_high: null,
      rank: rank(scores)[j] as number,
      details: {
        kind: feature.slice(0, 4),
        windows: picked.length,
        ...(uniqueId === null ? { values: values.map((row) => row[j]) } : {}),
      },
    }));
  });
  await insertFeatureImportanceRows(db, id, rows);
  return id;
};
