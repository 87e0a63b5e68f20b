/**
 * Test fixture shared by the server and CLI tests of the analysis routes and commands: a sweep of
 * three finished runs with cross-validation rows on the same eight points (two series, one window of
 * four) and stored metrics beside the historical mean, plus one queued run.
 */
import type { Queryable } from './db.js';
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
