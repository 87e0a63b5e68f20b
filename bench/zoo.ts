/**
 * The model zoo yardstick (issue 13): NeuralForecast 3.2's protocol for every model in the engine's
 * registry, side by side with NeuralForecast's own figures (bench/yardsticks/nf-zoo.json, a copy of
 * the shared yardstick). Protocol: AirPassengersPanel (Airline1, Airline2 = Airline1 + 300), h=12,
 * input_size=24, max_steps=100, random_seed=1, every other hyperparameter at the model's default;
 * speed from a fit over the full data, accuracy from a fresh model's crossValidation(3 windows of 12)
 * pooled over both series, next to the historical mean, seasonal naive and naive last value on the
 * same windows. Targets: MAE ≤ 1.15 × NeuralForecast's, ms/step ≤ NeuralForecast's. Multivariate
 * models (`kind: 'multivariate'`) take the whole panel at once, with `n_series` set to its width.
 *
 * `npm run bench -- zoo [--models a,b] [--max-steps N] [--seeds 1-5] [--protocol B] [--data loto6]`
 * - `--seeds 1-5` (or `1,3`): for a model missing the MAE target at the first seed, the median MAE
 *   over all the seeds too.
 * - `--protocol B`: scaler_type standard and max_steps 500 (for models NeuralForecast did not learn).
 * - `--accuracy-only`: no speed fit (cv MAE alone; e.g. for protocol B, whose figure is accuracy).
 * - `--data loto6`: the loto6 panel (7 series; h=4, input_size=16, 3 windows of 4), each model's cv
 *   MAE next to the historical mean; no speed fit.
 * - `--set key=value[,key=value]`: hyperparameters set on every model (JSON values, e.g.
 *   `--set recurrent=true,h_train=2` for the recurrent form of RNN/GRU/LSTM); NeuralForecast's
 *   figures beside them are still those of its defaults.
 * - `--jobs N`: the models in N child processes (throughput on a shared machine; each uses one BLAS
 *   thread unless `--blas-threads` says otherwise, so ms/step is per job, not the whole machine's).
 * Non-default settings need `--out NAME` (e.g. `--out zoo-loto6`) so bench/results/zoo.json keeps
 * the protocol-A results. Prints ONE JSON object on stdout; progress and a table on stderr.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import {
  activeBackend,
  countParameters,
  enableNativeMatmul,
  MODELS,
  NeuralForecast,
  setBackend,
  type CrossValidationRow,
  type Freq,
  type ModelSpec,
} from '../packages/engine/src/index.js';
import {
  baselineForecasts,
  baselineMae,
  meanAbsolute,
  modelErrors,
  windowTargets,
  type BaselineMae,
  type WindowTarget,
} from './lib/baselines.js';
import { airPassengersPanel, loto6Panel, type BenchPanel } from './lib/datasets.js';
import { versusHistoricalMean, withHolm } from './lib/significance.js';

/** NeuralForecast's figures for one model, as the yardstick file holds them. */
interface NfFigures {
  readonly cv_mae: number;
  readonly ms_per_step: number;
  readonly parameters: number;
  readonly learned: boolean;
}
interface Yardstick {
  readonly baselines_same_windows: {
    seasonal_naive_12: number;
    naive_last_value: number;
    historical_mean: number;
  };
  readonly models: Readonly<Record<string, NfFigures>>;
}

const MAE_TARGET = 1.15;
const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const log = (msg: string): void => void process.stderr.write(`${msg}\n`);
const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/** `1-5` or `1,3,4` -> seeds. */
const parseSeeds = (text: string): number[] => {
  const range = /^(\d+)-(\d+)$/.exec(text);
  const seeds = range
    ? Array.from({ length: Number(range[2]) - Number(range[1]) + 1 }, (_, i) => Number(range[1]) + i)
    : text.split(',').map(Number);
  if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s)))
    throw new Error(`--seeds: bad list '${text}'`);
  return seeds;
};

const data = flag('data') ?? 'air';
const protocol = flag('protocol') ?? 'A';
if (data !== 'air' && data !== 'loto6') throw new Error(`--data must be air or loto6, got ${data}`);
if (protocol !== 'A' && protocol !== 'B') throw new Error(`--protocol must be A or B, got ${protocol}`);
/** `a=1,b=true` -> { a: 1, b: true }; a value that is not JSON stays a string. */
const parseOverrides = (text: string | undefined): Record<string, unknown> =>
  Object.fromEntries(
    (text ?? '')
      .split(',')
      .filter((pair) => pair.length > 0)
      .map((pair) => {
        const eq = pair.indexOf('=');
        if (eq < 1) throw new Error(`--set: expected key=value, got '${pair}'`);
        const raw = pair.slice(eq + 1);
        try {
          return [pair.slice(0, eq), JSON.parse(raw) as unknown];
        } catch {
          return [pair.slice(0, eq), raw];
        }
      }),
  );
const overrides = parseOverrides(flag('set'));
const nonDefault =
  data !== 'air' || protocol !== 'A' || Object.keys(overrides).length > 0 || argv.includes('--accuracy-only');
if (nonDefault && (flag('out') ?? 'zoo') === 'zoo') {
  throw new Error(
    `--data ${data} --protocol ${protocol} --set: pass --out (e.g. zoo-loto6) to keep zoo.json`,
  );
}
const seeds = parseSeeds(flag('seeds') ?? '1');
const selected = flag('models')?.split(',') ?? Object.keys(MODELS);
const unknown = selected.filter((id) => !Object.hasOwn(MODELS, id));
if (unknown.length > 0)
  throw new Error(`--models: unknown ${unknown.join(', ')}; registered: ${Object.keys(MODELS).join(', ')}`);

/** The panel, window layout and config of this run. */
const setting =
  data === 'air'
    ? { h: 12, input_size: 24, nWindows: 3, stepSize: 12, season: 12, freq: 'M' as Freq }
    : { h: 4, input_size: 16, nWindows: 3, stepSize: 4, season: 1, freq: 'irregular' as Freq };
const maxSteps = Number(flag('max-steps') ?? (protocol === 'B' ? 500 : 100));
// Protocol B asks for accuracy only; its 500-step speed fit would double the run for nothing.
const accuracyOnly = argv.includes('--accuracy-only');
const protocolConfig = protocol === 'B' ? { scaler_type: 'standard' } : {};
const yardstick = JSON.parse(
  readFileSync(new URL('./yardsticks/nf-zoo.json', import.meta.url), 'utf8'),
) as Yardstick;

/**
 * Models that run a pretrained LLM read from a local directory (their `llm`): they run only when
 * NFLAB_GPT2_DIR names a GPT-2 directory (the README's "TimeLLM and GPT-2 weights"); the bench never
 * downloads one.
 */
const LLM_MODELS: ReadonlySet<string> = new Set(['timellm']);
const gpt2Dir = process.env.NFLAB_GPT2_DIR;

/** A model entry's flat config under this run's protocol. */
const configFor = (spec: ModelSpec, seed: number, nSeries: number): Record<string, unknown> => ({
  h: setting.h,
  input_size: setting.input_size,
  max_steps: maxSteps,
  random_seed: seed,
  ...protocolConfig,
  ...overrides,
  // Multivariate models are built for the panel's width, as NeuralForecast's n_series.
  ...(spec.kind === 'multivariate' ? { n_series: nSeries } : {}),
  ...(LLM_MODELS.has(spec.id) ? { llm: gpt2Dir } : {}),
});

/** Per-step wall times of one training run, from the engine's progress events. */
const stepTimer = () => {
  const times: number[] = [];
  let last = performance.now();
  return {
    onProgress: (e: { kind: string }) => {
      if (e.kind !== 'train') return;
      const now = performance.now();
      times.push(now - last);
      last = now;
    },
    /** The first step includes panel, window and weight set-up; the rest are steady-state steps. */
    summary: () => ({
      first_step_ms: round(times[0] ?? NaN, 1),
      ms_per_step: round(times.slice(1).reduce((a, b) => a + b, 0) / Math.max(1, times.length - 1), 2),
      median_step_ms: round(median(times.slice(1)), 2),
    }),
  };
};

/** Speed: one fit over the full data; also the parameter count and effective training settings. */
const fitFull = async (id: string, config: Record<string, unknown>, panel: BenchPanel) => {
  const nf = new NeuralForecast({ models: [{ id, config }], freq: setting.freq });
  const timer = stepTimer();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await nf.fit({ df: panel.rows, onProgress: timer.onProgress });
  const fit_s = (performance.now() - t0) / 1000;
  // CPU time of this process (all its threads) per step: less swayed than wall time when other
  // jobs share the cores, though idle-spinning BLAS threads count too.
  const cpu = process.cpuUsage(cpu0);
  const cpuMsPerStep = (cpu.user + cpu.system) / 1000 / maxSteps;
  const model = nf.models[0] as NeuralForecast['models'][number];
  const result = {
    fit_s: round(fit_s, 2),
    ...timer.summary(),
    cpu_ms_per_step: round(cpuMsPerStep, 2),
    parameters: countParameters(model.network?.variables ?? []),
    effective: {
      windows_batch_size: model.common.windows_batch_size,
      batch_size: model.common.batch_size,
      learning_rate: model.common.learning_rate,
      scaler_type: model.common.scaler_type,
      max_steps: model.common.max_steps,
    },
  };
  nf.dispose();
  return result;
};

/** Accuracy: a fresh model's crossValidation, MAE pooled over every window target. */
const cvRun = async (
  id: string,
  config: Record<string, unknown>,
  panel: BenchPanel,
  targets: WindowTarget[],
) => {
  const nf = new NeuralForecast({ models: [{ id, config }], freq: setting.freq });
  const timer = stepTimer();
  const t0 = performance.now();
  const rows: CrossValidationRow[] = await nf.crossValidation({
    df: panel.rows,
    nWindows: setting.nWindows,
    stepSize: setting.stepSize,
    onProgress: timer.onProgress,
  });
  const cv_s = (performance.now() - t0) / 1000;
  const column = (nf.models[0] as NeuralForecast['models'][number]).name;
  nf.dispose();
  const errors = modelErrors(rows, targets, column);
  return {
    errors,
    cv_mae: round(meanAbsolute(errors)),
    cv_s: round(cv_s, 2),
    cv_ms_per_step: timer.summary().ms_per_step,
  };
};

/** One model under the protocol, with NeuralForecast's figures and the target verdicts. */
const runModel = async (id: string, panel: BenchPanel, targets: WindowTarget[], baselines: BaselineMae) => {
  const spec = (MODELS as Record<string, ModelSpec>)[id] as ModelSpec;
  const tensorsBefore = tf.memory().numTensors;
  // Other jobs share the 2 cores; the 1-minute load average says how far to trust the timing.
  const loadBefore = round(loadavg()[0] as number, 2);
  const config = configFor(spec, seeds[0] as number, panel.series.length);
  const speed = data === 'air' && !accuracyOnly ? await fitFull(id, config, panel) : undefined;
  const { errors, ...cv } = await cvRun(id, config, panel, targets);
  const nf = data === 'air' ? yardstick.models[spec.label] : undefined;
  const maeRatio = nf ? cv.cv_mae / nf.cv_mae : undefined;
  let seedRuns: { seeds: Record<number, number>; median_mae: number; median_mae_ratio?: number } | undefined;
  const missesFirstSeed =
    maeRatio !== undefined ? maeRatio > MAE_TARGET : cv.cv_mae > baselines.historical_mean;
  if (seeds.length > 1 && missesFirstSeed) {
    const bySeed: Record<number, number> = { [seeds[0] as number]: cv.cv_mae };
    for (const seed of seeds.slice(1)) {
      bySeed[seed] = (await cvRun(id, configFor(spec, seed, panel.series.length), panel, targets)).cv_mae;
      log(`  ${id} seed ${seed}: cv MAE ${bySeed[seed]}`);
    }
    const mid = median(Object.values(bySeed));
    seedRuns = {
      seeds: bySeed,
      median_mae: round(mid),
      ...(nf ? { median_mae_ratio: round(mid / nf.cv_mae) } : {}),
    };
  }
  const msRatio = nf && speed ? speed.ms_per_step / nf.ms_per_step : undefined;
  const misses = [
    ...(maeRatio !== undefined && (seedRuns?.median_mae_ratio ?? maeRatio) > MAE_TARGET ? ['mae'] : []),
    ...(msRatio !== undefined && msRatio > 1 ? ['ms_per_step'] : []),
  ];
  return {
    id,
    label: spec.label,
    family: spec.family,
    ...speed,
    ...cv,
    beats_historical_mean: cv.cv_mae < baselines.historical_mean,
    beats_seasonal_naive: cv.cv_mae < baselines.seasonal_naive,
    // The first seed's errors against the mean's; Holm over the run's models is added at the end.
    vs_historical_mean: versusHistoricalMean(errors, historicalMeanErrors, setting.h),
    ...(seedRuns ? { seed_runs: seedRuns } : {}),
    ...(nf
      ? {
          nf: {
            cv_mae: nf.cv_mae,
            ms_per_step: nf.ms_per_step,
            parameters: nf.parameters,
            learned: nf.learned,
          },
          mae_ratio: round(maeRatio as number),
          ms_ratio: msRatio === undefined ? null : round(msRatio),
          parameters_match: speed?.parameters === nf.parameters,
          misses,
        }
      : {}),
    tensors_left: tf.memory().numTensors - tensorsBefore,
    load_average_1m: [loadBefore, round(loadavg()[0] as number, 2)],
  };
};

type ModelResult =
  Awaited<ReturnType<typeof runModel>> | { id: string; error: string } | { id: string; skipped: string };

/** The side-by-side table on stderr, misses first. */
const printTable = (results: readonly ModelResult[]): void => {
  const missCount = (r: ModelResult) => ('misses' in r ? (r.misses?.length ?? 0) : 'error' in r ? 3 : 0);
  const sorted = [...results].sort((a, b) => missCount(b) - missCount(a));
  const cell = (x: unknown) => String(x ?? '–').padStart(10);
  log(
    [
      'model',
      'our MAE',
      'NF MAE',
      'ratio',
      'our ms',
      'NF ms',
      'ratio',
      'params',
      'NF params',
      'misses',
      'p vs mean',
    ]
      .map(cell)
      .join(' '),
  );
  for (const r of sorted) {
    if ('skipped' in r) log(`${cell(r.id)} skipped: ${r.skipped}`);
    else if ('error' in r) log(`${cell(r.id)} failed: ${r.error}`);
    else
      log(
        [
          r.label,
          r.cv_mae,
          r.nf?.cv_mae,
          r.mae_ratio,
          r.ms_per_step,
          r.nf?.ms_per_step,
          r.ms_ratio,
          r.parameters,
          r.nf?.parameters,
          r.misses?.join('+') || (r.nf ? 'ok' : r.beats_historical_mean ? 'beats mean' : 'no'),
          r.vs_historical_mean?.p_holm === undefined ? undefined : round(r.vs_historical_mean.p_holm, 3),
        ]
          .map(cell)
          .join(' '),
      );
  }
};

// As users run the engine: wasm with the native matmul path where OpenBLAS loads (both cores, as
// NeuralForecast's torch had 2 threads).
await setBackend('wasm');
// With several jobs on the 2 cores, one BLAS thread each: idle-spinning BLAS threads of one job
// would wait on threads the other jobs hold.
const blasThreads =
  flag('blas-threads') ?? (argv.includes('--child') || Number(flag('jobs') ?? 1) > 1 ? '1' : undefined);
const native = enableNativeMatmul(blasThreads === undefined ? {} : { threads: Number(blasThreads) });
const panel = data === 'air' ? airPassengersPanel() : await loto6Panel();
const targets = windowTargets(panel.series, setting);
const baselines = baselineMae(panel.series, targets, setting.season);
const historicalMeanErrors = baselineForecasts(panel.series, targets, setting.season).historical_mean.map(
  (forecast, i) => forecast - (targets[i] as WindowTarget).y,
);
const roundedBaselines = {
  historical_mean: round(baselines.historical_mean),
  seasonal_naive: round(baselines.seasonal_naive),
  naive_last_value: round(baselines.naive_last_value),
};
const nfBaselines = yardstick.baselines_same_windows;
// The AirPassengers windows must be NeuralForecast's: its baselines on them are in the yardstick.
const windowsMatchNf =
  data === 'air'
    ? roundedBaselines.historical_mean === nfBaselines.historical_mean &&
      roundedBaselines.seasonal_naive === nfBaselines.seasonal_naive_12 &&
      roundedBaselines.naive_last_value === nfBaselines.naive_last_value
    : null;
if (windowsMatchNf === false)
  throw new Error(`baselines ${JSON.stringify(roundedBaselines)} differ from NeuralForecast's`);
log(
  `${data} protocol ${protocol}: ${selected.length} models, max_steps ${maxSteps}, baselines ${JSON.stringify(roundedBaselines)}`,
);

/** The models of `ids`, one after another in this process. */
const runModels = async (ids: readonly string[]): Promise<ModelResult[]> => {
  const results: ModelResult[] = [];
  for (const id of ids) {
    log(`== ${id}`);
    if (LLM_MODELS.has(id) && !gpt2Dir) {
      const skipped =
        'needs a local GPT-2 directory: set NFLAB_GPT2_DIR (README: "TimeLLM and GPT-2 weights")';
      log(`   ${id} skipped: ${skipped}`);
      results.push({ id, skipped });
      continue;
    }
    try {
      const result = await runModel(id, panel, targets, baselines);
      log(`   ${JSON.stringify(result)}`);
      results.push(result);
    } catch (error) {
      // One failing model is recorded and the rest still run; the record says which and why.
      log(`   ${id} failed: ${String(error)}`);
      results.push({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  }
  return results;
};

/**
 * `--jobs N`: the models split round-robin over N child processes (each `--child --models …`),
 * for throughput when the machine is shared anyway; their results come back in registry order.
 */
const runJobs = async (n: number): Promise<ModelResult[]> => {
  const groups = Array.from({ length: n }, (_, j) => selected.filter((_, i) => i % n === j)).filter(
    (g) => g.length > 0,
  );
  const rest = argv.filter(
    (a, i) => !['--models', '--jobs'].includes(a) && !['--models', '--jobs'].includes(argv[i - 1] ?? ''),
  );
  const outputs = await Promise.all(
    groups.map(
      (group) =>
        new Promise<ModelResult[]>((resolve, reject) => {
          const args = [
            ...process.execArgv,
            fileURLToPath(import.meta.url),
            ...rest,
            '--models',
            group.join(','),
            '--child',
          ];
          const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
          let out = '';
          child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
          child.on('error', reject);
          child.on('close', (code) =>
            code === 0
              ? resolve((JSON.parse(out) as { models: ModelResult[] }).models)
              : reject(new Error(`zoo child for ${group.join(',')} exited with ${code}`)),
          );
        }),
    ),
  );
  const byId = new Map(outputs.flat().map((r) => [r.id, r]));
  return selected.map((id) => byId.get(id) as ModelResult);
};

const jobs = argv.includes('--child') ? 1 : Number(flag('jobs') ?? 1);
const ran = jobs > 1 ? await runJobs(jobs) : await runModels(selected);
// A child's p-values are adjusted by the parent, over every model of the run.
const results = argv.includes('--child') ? ran : withHolm(ran);
// Children report to the parent, which prints the one table.
if (!argv.includes('--child')) printTable(results);
process.stdout.write(
  `${JSON.stringify({
    data,
    protocol,
    setting: { ...setting, max_steps: maxSteps, ...protocolConfig, seeds, jobs },
    ...(Object.keys(overrides).length > 0 ? { overrides } : {}),
    speed:
      data === 'air'
        ? 'fit over the full data; ms_per_step = mean of steps 2..max_steps (first_step_ms includes set-up)'
        : 'none (cv_ms_per_step from the cross-validation fit)',
    ...(jobs > 1 ? { speed_caveat: `${jobs} jobs ran at once, each with one BLAS thread` } : {}),
    backend: activeBackend(),
    native_matmul: native,
    baselines_same_windows: roundedBaselines,
    ...(data === 'air' ? { nf_baselines_same_windows: nfBaselines, windows_match_nf: windowsMatchNf } : {}),
    models: results,
    misses: results
      .filter((r) => 'error' in r || ('misses' in r && (r.misses?.length ?? 0) > 0))
      .map((r) => r.id),
    skipped: results.filter((r) => 'skipped' in r).map((r) => r.id),
  })}\n`,
);
