/**
 * Analysis benchmark (issue 14): the statistical comparison of 100 runs × 7 series × 3 windows
 * (h = 4, 84 shared points per run) — in memory (`compareRuns`) and end to end through an embedded
 * database (`compareStoredRuns`: read 8,400 point rows, compare, store) — against the target of
 * 2 s on these 2 cores; and the exogenous summary of a loto6-sized table (7 series × 12 columns,
 * 1,490 draws each); and KernelSHAP of one saved NHITS with 15 exogenous columns (exact: every one
 * of the 2^15 coalitions is out of reach, so shap's 'auto' budget of 2·15 + 2048 coalitions) for one
 * forecast per series of a 7-series panel and for four per series (the background is the mean of
 * the explained windows, so one window alone would explain nothing), against 60 s per forecast.
 * Run: `npm run bench -- analysis`. Prints one JSON object on stdout.
 */
import { compareRuns, tableExogenousSummary, type RunPoints } from '@nflab/analysis';
import { Rng } from '@nflab/contracts';
import { NeuralForecast, explainWindows } from '@nflab/engine';
import { compareStoredRuns, computeImportance } from '@nflab/runner';
import { insertCvResultRows } from '@nflab/store';
import { openTestDb } from '@nflab/store/testing';

const log = (msg: string): void => void process.stderr.write(`${msg}\n`);
const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;
const RUNS = 100;
const SERIES = 7;
const WINDOWS = 3;
const H = 4;
const REPEATS = 5;

/** Lottery-like actuals and forecasts: every run's errors are noise around the same level. */
const synthesize = (): { runs: RunPoints[]; y: number[] } => {
  const rng = new Rng('bench-analysis');
  const y = Array.from({ length: SERIES * WINDOWS * H }, () => 1 + rng.int(43));
  const runs = Array.from({ length: RUNS }, (_, r) => ({
    runId: `00000000-0000-4000-8000-${String(r).padStart(12, '0')}`,
    label: `run ${r}`,
    points: y.map((value, i) => ({
      uniqueId: `N${Math.floor(i / (WINDOWS * H)) + 1}`,
      cutoff: `2020-0${(Math.floor(i / H) % WINDOWS) + 1}-01`,
      ds: `2020-0${(Math.floor(i / H) % WINDOWS) + 1}-0${(i % H) + 2}`,
      y: value,
      yhat: 22 + rng.normal() * 3,
    })),
  }));
  return { runs, y };
};

const timeIt = async (
  fn: () => unknown | Promise<unknown>,
): Promise<{ median_s: number; runs_s: number[] }> => {
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i += 1) {
    const t0 = performance.now();
    await fn();
    times.push((performance.now() - t0) / 1000);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { median_s: round(sorted[Math.floor(REPEATS / 2)] as number), runs_s: times.map((t) => round(t)) };
};

const { runs } = synthesize();
log(`compareRuns: ${RUNS} runs × ${SERIES * WINDOWS * H} points`);
const inMemory = await timeIt(() => compareRuns(runs, { resamples: 2000 }));
log(`  ${inMemory.median_s} s`);

// End to end: the same runs as stored rows in an embedded PostgreSQL (PGlite), compared and stored.
const db = await openTestDb('pglite', { migrate: true });
const sweep = await db.query<{ id: string }>(
  `INSERT INTO nf_sweeps (name, spec) VALUES ('bench', '{}') RETURNING id`,
);
const ids: string[] = [];
for (const run of runs) {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO nf_model_runs (model_name, status, sweep_id) VALUES ('bench', 'finished', $1) RETURNING id`,
    [sweep.rows[0]?.id],
  );
  const id = rows[0]?.id as string;
  ids.push(id);
  await insertCvResultRows(db, id, {
    model: 'bench',
    rows: run.points.map((p) => ({
      unique_id: p.uniqueId,
      ds: String(p.ds),
      step: null,
      cutoff: String(p.cutoff),
      cutoff_step: null,
      y: p.y,
      suffix: '',
      value: p.yhat,
    })),
  });
}
let seed = 0;
log('compareStoredRuns (PGlite): read, compare, store');
// A new seed each time: a repeat with the same settings would be read back from nf_analyses.
const stored = await timeIt(() =>
  compareStoredRuns(
    db,
    { run_ids: ids, loss: 'absolute', correction: 'holm', alpha: 0.05, resamples: 2000, seed: (seed += 1) },
    { createdBy: 'bench' },
  ),
);
const cachedStart = performance.now();
await compareStoredRuns(
  db,
  { run_ids: ids, loss: 'absolute', correction: 'holm', alpha: 0.05, resamples: 2000, seed },
  { createdBy: 'bench' },
);
const cached_s = round((performance.now() - cachedStart) / 1000);
log(`  ${stored.median_s} s computed, ${cached_s} s read back`);
await db.close();

// The exogenous summary at loto6 size: 7 series × 12 columns × 1,490 draws, Granger up to lag 4.
const rng = new Rng('bench-exogenous');
const table = Array.from({ length: SERIES }, (_, s) => ({
  uniqueId: `N${s + 1}`,
  y: Array.from({ length: 1490 }, () => 1 + rng.int(43)),
  columns: Object.fromEntries(
    Array.from({ length: 12 }, (_, c) => [`hist_${c}`, Array.from({ length: 1490 }, () => rng.normal())]),
  ),
}));
log('tableExogenousSummary: 7 series × 12 columns × 1,490 draws');
const exogenous = await timeIt(() =>
  tableExogenousSummary(table, { grangerMaxLag: 4, crossCorrelationMaxLag: 10 }),
);
log(`  ${exogenous.median_s} s`);

// KernelSHAP of a saved NHITS with 15 exogenous columns (10 futr, 5 hist) on a 7-series panel.
const EXOG = [
  ...Array.from({ length: 10 }, (_, i) => `futr_${i}`),
  ...Array.from({ length: 5 }, (_, i) => `hist_${i}`),
];
const shapRng = new Rng('bench-shap');
const rows = Array.from({ length: SERIES }, (_, s) =>
  Array.from({ length: 300 }, (_, t) => {
    const exog = Object.fromEntries(EXOG.map((name) => [name, shapRng.normal()]));
    return {
      unique_id: `N${s + 1}`,
      ds: t,
      y: 20 + 3 * (exog.futr_0 as number) - 2 * (exog.hist_0 as number) + shapRng.normal(),
      ...exog,
    };
  }),
).flat();
const nf = new NeuralForecast({
  models: [
    {
      id: 'nhits',
      config: {
        h: 4,
        input_size: 16,
        max_steps: 50,
        futr_exog_list: EXOG.filter((c) => c.startsWith('futr_')),
        hist_exog_list: EXOG.filter((c) => c.startsWith('hist_')),
        random_seed: 1,
      },
    },
  ],
  freq: 1,
});
log('KernelSHAP: fitting NHITS with 15 exogenous columns');
await nf.fit({ df: rows });
const shapTimes: Record<string, number> = {};
let coalitionCount = 0;
for (const windows of [SERIES, 28]) {
  const explainer = await explainWindows(nf, { maxWindows: windows });
  const t0 = performance.now();
  const result = await computeImportance(explainer, {
    method: 'kernel_shap',
    nsamples: 'auto',
    seed: 0,
    max_windows: windows,
  });
  shapTimes[`windows_${windows}_s`] = round((performance.now() - t0) / 1000);
  coalitionCount = EXOG.length * 2 + 2048;
  shapTimes[`windows_${windows}_per_forecast_s`] = round(
    (shapTimes[`windows_${windows}_s`] as number) / windows,
  );
  log(
    `  ${windows} window(s): ${shapTimes[`windows_${windows}_s`]} s; top column ${result.summary.ranking[0]?.feature}`,
  );
}
nf.dispose();

process.stdout.write(
  `${JSON.stringify({
    compare: {
      runs: RUNS,
      points_per_run: SERIES * WINDOWS * H,
      resamples: 2000,
      in_memory: inMemory,
      stored_pglite: { ...stored, read_back_s: cached_s },
      target_s: 2,
      meets_target: stored.median_s < 2 && inMemory.median_s < 2,
    },
    exogenous_summary: { series: SERIES, columns: 12, draws: 1490, granger_max_lag: 4, ...exogenous },
    kernel_shap_nhits: {
      columns: EXOG.length,
      coalitions: coalitionCount,
      ...shapTimes,
      target_s: 60,
      meets_target: (shapTimes.windows_7_per_forecast_s ?? Infinity) < 60,
    },
  })}\n`,
);
