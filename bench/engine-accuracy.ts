/**
 * Engine accuracy: NHITS cross-validation on AirPassengers (h=12, input_size=24, max_steps=500,
 * 3 windows of 12) and on the loto6 panel (N1..N6, B1; h=4, input_size=16, max_steps=500, 3 windows
 * of 4) next to two baselines on the same windows: the per-series historical mean, and the
 * seasonal naive forecast (season 12 for the monthly AirPassengers; season 1, the last draw, for loto6).
 * `npx tsx bench/engine-accuracy.ts [--backend wasm|cpu] [--native on|off] [--max-steps N]` prints ONE JSON object;
 * progress on stderr. `--native on` routes matmuls to the optional BLAS path where it loads.
 */
import { readFileSync } from 'node:fs';
import { setBackend } from '../packages/engine/src/backend/backend.js';
import { NeuralForecast } from '../packages/engine/src/core/neural-forecast.js';
import { enableNativeMatmul } from '../packages/engine/src/native/index.js';
import { AIR_PASSENGERS } from '../packages/engine/test/fixtures/air-passengers.js';
type Row = { unique_id: string; ds: string; y: number };
type CvRow = {
  unique_id: string;
  ds: string | number;
  cutoff: string | number;
  y: number | null;
  [k: string]: unknown;
};

const LOTO6_PATH =
  process.env.LOTO6_CSV ?? new URL('../data/samples/loto6_2000-2020.cp932.csv', import.meta.url).pathname;

/** AirPassengers (R datasets), 1949-01..1960-12, from the engine's test fixture. */
const airRows = (): Row[] =>
  AIR_PASSENGERS.map((y, i) => ({
    unique_id: 'Airline1',
    ds: new Date(Date.UTC(1949, i + 1, 0)).toISOString().slice(0, 10),
    y,
  }));

/** The loto6 draws as a long panel: N1..N6 (第1数字..第6数字) and B1 (BONUS数字), ds = 日付. */
const loto6Rows = (): Row[] => {
  const text = new TextDecoder('shift_jis').decode(readFileSync(LOTO6_PATH));
  const [header, ...lines] = text.trim().split(/\r?\n/);
  const names = (header as string).split(',');
  const columns: [string, number][] = [
    ...[1, 2, 3, 4, 5, 6].map((k): [string, number] => [`N${k}`, names.indexOf(`第${k}数字`)]),
    ['B1', names.indexOf('BONUS数字')],
  ];
  const dateIndex = names.indexOf('日付');
  if (dateIndex < 0 || columns.some(([, i]) => i < 0)) throw new Error(`unexpected loto6 header: ${header}`);
  return lines.flatMap((line) => {
    const cells = line.split(',');
    const [y, m, d] = (cells[dateIndex] as string).split('/').map(Number);
    const ds = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    return columns.map(([unique_id, i]) => ({ unique_id, ds, y: Number(cells[i]) }));
  });
};

const round = (x: number): number => Math.round(x * 1e4) / 1e4;

/** MAE of `column` per cutoff and overall. */
const maeByCutoff = (
  rows: readonly CvRow[],
  column: string,
): { per_window: Record<string, number>; overall: number } => {
  const sums = new Map<string, { total: number; n: number }>();
  let total = 0;
  let n = 0;
  for (const row of rows) {
    if (row.y === null) continue;
    const err = Math.abs((row[column] as number) - row.y);
    const key = String(row.cutoff);
    const s = sums.get(key) ?? { total: 0, n: 0 };
    sums.set(key, { total: s.total + err, n: s.n + 1 });
    total += err;
    n += 1;
  }
  return {
    per_window: Object.fromEntries([...sums].map(([k, s]) => [k, round(s.total / s.n)])),
    overall: round(total / n),
  };
};

/**
 * Adds the baselines as columns: `HistoricalMean` (mean of each series up to its cutoff) and
 * `SeasonalNaive` (ŷ[c+j] = y[c + j − m·⌈j/m⌉], the value one season before, from data up to the cutoff c).
 */
const withBaselines = (rows: CvRow[], data: readonly Row[], season: number): CvRow[] => {
  const series = new Map<string, Row[]>();
  for (const r of data) series.set(r.unique_id, [...(series.get(r.unique_id) ?? []), r]);
  const means = new Map<string, number>();
  return rows.map((row) => {
    const values = series.get(row.unique_id) ?? [];
    const cutoffIndex = values.findIndex((r) => r.ds === String(row.cutoff));
    const targetIndex = values.findIndex((r) => r.ds === String(row.ds));
    if (cutoffIndex < 0 || targetIndex <= cutoffIndex)
      throw new Error(`no cutoff/ds for ${JSON.stringify(row)}`);
    const key = `${row.unique_id}|${row.cutoff}`;
    if (!means.has(key)) {
      means.set(key, values.slice(0, cutoffIndex + 1).reduce((a, r) => a + r.y, 0) / (cutoffIndex + 1));
    }
    const j = targetIndex - cutoffIndex;
    const seasonal = values[cutoffIndex + j - season * Math.ceil(j / season)]?.y;
    return { ...row, HistoricalMean: means.get(key), SeasonalNaive: seasonal };
  });
};

const run = async (args: {
  name: string;
  rows: Row[];
  freq: 'M' | 'irregular';
  h: number;
  inputSize: number;
  stepSize: number;
  season: number;
}) => {
  const started = performance.now();
  const nf = new NeuralForecast({
    models: [{ id: 'nhits', config: { h: args.h, input_size: args.inputSize, max_steps: MAX_STEPS } }],
    freq: args.freq,
  });
  let last = 0;
  const cv = (await nf.crossValidation({
    df: args.rows,
    nWindows: 3,
    stepSize: args.stepSize,
    onProgress: (e) => {
      if (e.kind === 'train' && e.step % 25 === 0) {
        last = e.loss;
        process.stderr.write(`${args.name}: step ${e.step} train loss ${e.loss.toFixed(4)}\n`);
      }
    },
  })) as CvRow[];
  nf.dispose();
  const rows = withBaselines(cv, args.rows, args.season);
  return {
    config: {
      model: 'nhits',
      h: args.h,
      input_size: args.inputSize,
      max_steps: MAX_STEPS,
      n_windows: 3,
      step_size: args.stepSize,
      other: 'NeuralForecast NHITS defaults',
    },
    series: new Set(args.rows.map((r) => r.unique_id)).size,
    rows_per_series: args.rows.length / new Set(args.rows.map((r) => r.unique_id)).size,
    final_train_loss: round(last),
    nhits_mae: maeByCutoff(rows, 'NHITS'),
    historical_mean_mae: maeByCutoff(rows, 'HistoricalMean'),
    seasonal_naive: { season: args.season, mae: maeByCutoff(rows, 'SeasonalNaive') },
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
};

/** Whether NHITS's overall MAE is below each baseline's. */
const verdicts = <T extends Awaited<ReturnType<typeof run>>>(result: T) => ({
  ...result,
  nhits_beats_historical_mean: result.nhits_mae.overall < result.historical_mean_mae.overall,
  nhits_beats_seasonal_naive: result.nhits_mae.overall < result.seasonal_naive.mae.overall,
});

const flag = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const MAX_STEPS = Number(flag('max-steps', '500'));
const backend = await setBackend(flag('backend', 'wasm') as 'wasm' | 'cpu');
const native =
  flag('native', 'off') === 'on'
    ? enableNativeMatmul()
    : { enabled: false, reason: 'off (default; --native on to use it)' };
process.stderr.write(`backend ${backend}, native matmul: ${native.reason}\n`);
const air = await run({
  name: 'air-passengers',
  rows: airRows(),
  freq: 'M',
  h: 12,
  inputSize: 24,
  stepSize: 12,
  season: 12,
});
const loto6 = await run({
  name: 'loto6',
  rows: loto6Rows(),
  freq: 'irregular',
  h: 4,
  inputSize: 16,
  stepSize: 4,
  season: 1,
});
process.stdout.write(
  `${JSON.stringify({
    backend,
    native_matmul: { enabled: native.enabled, reason: native.reason },
    air_passengers: verdicts(air),
    loto6: verdicts(loto6),
  })}\n`,
);
