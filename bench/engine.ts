/**
 * Engine throughput: GEMM GFLOP/s and ms per training step (raw-op MLP, the engine's MLP and
 * NHITS with NeuralForecast defaults), each with and without the native BLAS matmul path.
 * `npx tsx bench/engine.ts [--backend wasm|cpu] [--native on|off] [--quick] [--fit-steps N]`
 * The fit/predict timing reads LOTO6 from data/samples (NHITS on 第1数字, max_steps 200).
 * Prints ONE JSON object on stdout; progress goes to stderr.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type * as TF from '@tensorflow/tfjs-core';
import type { UnivariateModelSpec as ModelSpec, WindowBatch } from '../packages/engine/src/model/types.js';
import type { NativeMatmulStatus } from '../packages/engine/src/native/index.js';

// The engine registers tfjs-core's gradients (and the resolve hook plain Node needs) on load.
await import('../packages/engine/src/backend/gradients.js').then((m) => m.registerGradients());
const tf: typeof TF = await import('@tensorflow/tfjs-core');
const { setBackend } = await import('../packages/engine/src/backend/backend.js');
const { createAdam } = await import('../packages/engine/src/training/adam.js');
const { MODELS } = await import('../packages/engine/src/models/registry.js');
const { NeuralForecast } = await import('../packages/engine/src/core/index.js');
const { disableNativeMatmul, enableNativeMatmul, nativeMatmulStats } =
  await import('../packages/engine/src/native/index.js');

type Mode = 'native' | 'reference';
const LOTO6_CSV = new URL('../data/samples/loto6_2000-2020.cp932.csv', import.meta.url).pathname;
const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const parseBackend = (value: string): 'wasm' | 'cpu' => {
  if (value !== 'wasm' && value !== 'cpu') throw new Error(`--backend must be wasm or cpu, got ${value}`);
  return value;
};
const backend = parseBackend(flag('backend') ?? 'wasm');
const nativeFlag = flag('native');
if (nativeFlag !== undefined && nativeFlag !== 'on' && nativeFlag !== 'off') {
  throw new Error(`--native must be on or off, got ${nativeFlag}`);
}
const quick = argv.includes('--quick');
/** NHITS steps in the fit/predict timing (NeuralForecast's defaults otherwise). */
const fitSteps = Number(flag('fit-steps') ?? (quick ? 20 : 200));
const log = (msg: string): void => void process.stderr.write(`${msg}\n`);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Median ms of one call over `repeats` timed blocks of `iters` calls, after `warmup` calls. */
function timeMs(fn: () => void, opts: { warmup: number; iters: number; repeats: number }): number {
  for (let i = 0; i < opts.warmup; i++) fn();
  const samples: number[] = [];
  for (let r = 0; r < opts.repeats; r++) {
    const t0 = performance.now();
    for (let i = 0; i < opts.iters; i++) fn();
    samples.push((performance.now() - t0) / opts.iters);
  }
  return median(samples);
}

/**
 * GFLOP/s of tf.matMul as training calls it: the product stays in the backend. (Reading all 2 MB
 * of it back with dataSync every call, as this bench first did, added ~1 ms of copying and fresh
 * allocation to a 2.2 ms product.) The last product of each timed block is read, so a backend that
 * runs asynchronously is still timed to completion.
 */
function gemmGflops(): number {
  const [m, k, n] = [1024, 512, 512];
  const a = tf.randomUniform([m, k]);
  const b = tf.randomUniform([k, n]);
  const iters = quick ? 3 : 10;
  let call = 0;
  const ms = timeMs(
    () =>
      tf.tidy(() => {
        const product = tf.matMul(a, b);
        call += 1;
        if (call % iters === 0) product.dataSync();
      }),
    { warmup: 3, iters, repeats: quick ? 3 : 7 },
  );
  a.dispose();
  b.dispose();
  return (2 * m * n * k) / (ms * 1e6);
}

/**
 * One MAE step over `variables` with `forward` and the engine's Adam (what training runs); reads
 * the loss once, as training does.
 */
function makeStep(variables: TF.Variable[], forward: () => TF.Tensor, target: TF.Tensor) {
  const optimizer = createAdam(variables);
  const step = (): void => {
    const { value, grads } = tf.variableGrads(
      () => tf.tidy(() => tf.mean(tf.abs(tf.sub(forward(), target))) as TF.Scalar),
      variables,
    );
    value.dataSync();
    optimizer.step(
      variables.map((v) => grads[v.name] as TF.Tensor),
      1e-3,
    );
    value.dispose();
    tf.dispose(Object.values(grads));
  };
  return { step, dispose: () => optimizer.dispose() };
}

/** Raw-op MLP 56 -> 512 -> 512 -> 28 at batch 32; `fused` uses tf.fused.matMul with bias + relu. */
function rawMlpStepMs(fused: boolean): number {
  const sizes = [56, 512, 512, 28];
  // tidy frees the initial values; each variable keeps its own reference to the data.
  const vars = tf.tidy(() =>
    sizes
      .slice(1)
      .flatMap((out, i) => [
        tf.variable(tf.randomUniform([sizes[i]!, out], -0.05, 0.05)),
        tf.variable(tf.zeros([out])),
      ]),
  );
  const x = tf.randomNormal([32, 56]);
  const y = tf.randomNormal([32, 28]);
  const forward = (): TF.Tensor => {
    let h: TF.Tensor = x;
    for (let l = 0; l < 3; l++) {
      const [w, b] = [vars[2 * l]!, vars[2 * l + 1]!];
      const act = l < 2 ? 'relu' : 'linear';
      // [32, in] x [in, out] -> [32, out]
      h = fused
        ? tf.fused.matMul({ a: h as TF.Tensor2D, b: w as TF.Tensor2D, bias: b, activation: act })
        : ((z) => (act === 'relu' ? tf.relu(z) : z))(
            tf.add(tf.matMul(h as TF.Tensor2D, w as TF.Tensor2D), b),
          );
    }
    return h;
  };
  const { step, dispose } = makeStep(vars, forward, y);
  const ms = timeMs(step, { warmup: 5, iters: quick ? 5 : 20, repeats: quick ? 3 : 5 });
  dispose();
  tf.dispose([...vars, x, y]);
  return ms;
}

/** One training step of a registered engine model on random windows [B, 56, 1] -> [B, 28, 1]. */
function modelStepMs(spec: ModelSpec, config: Record<string, unknown>, batch: number, iters: number): number {
  const net = spec.build(
    spec.configSchema.parse(config),
    {
      h: 28,
      inputSize: 56,
      futrExogSize: 0,
      histExogSize: 0,
      statExogSize: 0,
      nOutputs: 1,
    },
    1,
  );
  const windows: WindowBatch = {
    insampleY: tf.randomNormal([batch, 56, 1]),
    insampleMask: tf.ones([batch, 56, 1]),
  };
  const y = tf.randomNormal([batch, 28, 1]);
  const { step, dispose } = makeStep([...net.variables], () => net.forward(windows, { training: true }), y);
  const ms = timeMs(step, { warmup: Math.min(3, iters), iters, repeats: quick ? 3 : 5 });
  dispose();
  net.dispose();
  tf.dispose([windows.insampleY, windows.insampleMask, y]);
  return ms;
}

/** LOTO6 first-number series (draw number as integer ds), from the shared cp932 CSV. */
function loto6N1(): { unique_id: string[]; ds: number[]; y: number[] } {
  const text = new TextDecoder('shift_jis').decode(readFileSync(LOTO6_CSV));
  const [header, ...lines] = text.trim().split(/\r?\n/);
  const cols = (header ?? '').split(',');
  const [iDraw, iN1] = [cols.indexOf('開催回'), cols.indexOf('第1数字')];
  if (iDraw < 0 || iN1 < 0) throw new Error(`${LOTO6_CSV}: columns 開催回/第1数字 not found in ${header}`);
  const rows = lines.map((l) => l.split(','));
  return {
    unique_id: rows.map(() => 'N1'),
    ds: rows.map((r) => Number(r[iDraw])),
    y: rows.map((r) => Number(r[iN1])),
  };
}

/** Seconds to fit NHITS (h=28, input_size=56, NeuralForecast defaults) on LOTO6 N1 and to predict. */
async function fitPredictSeconds(): Promise<{
  fit_s: number;
  predict_s: number;
  steps: number;
  rows: number;
}> {
  const df = loto6N1();
  const nf = new NeuralForecast({
    models: [{ id: 'nhits', config: { h: 28, input_size: 56, max_steps: fitSteps } }],
    freq: 1,
  });
  const t0 = performance.now();
  await nf.fit({ df });
  const t1 = performance.now();
  const forecast = await nf.predict();
  const t2 = performance.now();
  if (forecast.length !== 28) throw new Error(`expected 28 forecast rows, got ${forecast.length}`);
  return { fit_s: (t1 - t0) / 1000, predict_s: (t2 - t1) / 1000, steps: fitSteps, rows: df.y.length };
}

async function measure(mode: Mode) {
  disableNativeMatmul();
  const status: NativeMatmulStatus | null = mode === 'native' ? enableNativeMatmul() : null;
  if (status && !status.enabled) {
    log(`native path unavailable: ${status.reason}`);
    return { mode, status, available: false };
  }
  const before = nativeMatmulStats();
  log(`[${mode}] gemm …`);
  const gemm = gemmGflops();
  log(`[${mode}] gemm ${gemm.toFixed(1)} GFLOP/s; raw mlp …`);
  const rawMlp = rawMlpStepMs(false);
  const rawMlpFused = rawMlpStepMs(true);
  log(`[${mode}] raw mlp ${rawMlp.toFixed(2)} ms, fused ${rawMlpFused.toFixed(2)} ms; engine mlp …`);
  const mlp = modelStepMs(
    MODELS.mlp as unknown as ModelSpec,
    { num_layers: 2, hidden_size: 512 },
    32,
    quick ? 5 : 20,
  );
  log(`[${mode}] engine mlp ${mlp.toFixed(2)} ms; engine nhits …`);
  const nhits = modelStepMs(MODELS.nhits as unknown as ModelSpec, {}, 1024, quick ? 1 : 3);
  log(`[${mode}] engine nhits ${nhits.toFixed(1)} ms; fit/predict on LOTO6 N1 …`);
  const fitPredict = await fitPredictSeconds();
  log(`[${mode}] fit ${fitPredict.fit_s.toFixed(1)} s, predict ${fitPredict.predict_s.toFixed(2)} s`);
  const after = nativeMatmulStats();
  return {
    mode,
    status,
    available: true,
    gemm_gflops: gemm,
    raw_mlp_step_ms: rawMlp,
    raw_mlp_fused_step_ms: rawMlpFused,
    mlp_step_ms: mlp,
    nhits_step_ms: nhits,
    nhits_loto6: fitPredict,
    native_calls: after.native - before.native,
    fallback_calls: after.fallback - before.fallback,
  };
}

/** What one process reports. */
interface Report {
  backend: string;
  tensors_after: number;
  results: unknown[];
  peak_rss_mb: number;
  load_avg_before: number[];
  load_avg_after: number[];
}

async function measureModes(modes: Mode[]): Promise<Report> {
  // The engine's own backend setup, so the bench runs what training runs (wasm's shared Identity included).
  await setBackend(backend);
  const loadBefore = loadavg();
  const results = [];
  for (const mode of modes) results.push(await measure(mode));
  return {
    backend,
    tensors_after: tf.memory().numTensors,
    results,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    load_avg_before: loadBefore,
    load_avg_after: loadavg(),
  };
}

/**
 * Both modes, each in a process of its own: the reference fit grows the wasm heap by gigabytes, and
 * a native run after it in the same process measured ~20 % slower than native alone.
 */
function measureModesApart(): Report {
  const reports = (['off', 'on'] as const).map((native): Report => {
    const self = fileURLToPath(import.meta.url);
    const child = spawnSync(process.execPath, [...process.execArgv, self, ...argv, '--native', native], {
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    });
    if (child.status !== 0)
      throw new Error(`bench engine --native ${native} failed (${child.status ?? child.signal})`);
    return JSON.parse(child.stdout.toString('utf8')) as Report;
  });
  return {
    backend,
    tensors_after: Math.max(...reports.map((r) => r.tensors_after)),
    results: reports.flatMap((r) => r.results),
    peak_rss_mb: Math.max(...reports.map((r) => r.peak_rss_mb)),
    load_avg_before: reports[0]!.load_avg_before,
    load_avg_after: reports[reports.length - 1]!.load_avg_after,
  };
}

const report =
  nativeFlag === undefined
    ? measureModesApart()
    : await measureModes(nativeFlag === 'on' ? ['native'] : ['reference']);
process.stdout.write(`${JSON.stringify(report)}\n`);
