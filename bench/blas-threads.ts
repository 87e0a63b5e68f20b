/**
 * Where a second BLAS thread starts to pay: OpenBLAS sgemm at the product shapes the zoo's models
 * run (window batch × layer widths), timed with one thread and with all of them, alternated. The
 * engine runs products below `THREADED_GEMM_MIN_MACS` multiply-adds on one thread
 * (packages/engine/src/native/size-aware-sgemm.ts); this bench is the evidence for that cut-off.
 *   npx tsx bench/blas-threads.ts [--reps 300]
 * Prints ONE JSON object on stdout: per shape, µs per call with 1 and with N threads.
 */
import { availableParallelism, loadavg } from 'node:os';
import { coreTypeFor, detectCpuFeatures } from '../packages/engine/src/native/cpu-features.js';
import { loadOpenBlas } from '../packages/engine/src/native/openblas.js';
import { THREADED_GEMM_MIN_MACS } from '../packages/engine/src/native/size-aware-sgemm.js';
import { numberFlag } from './lib/args.js';

const reps = numberFlag('reps', 300);
const coreType = coreTypeFor(detectCpuFeatures());
if (coreType === null) throw new Error('no AVX2/AVX-512: the native path does not run here');
const threads = availableParallelism();
const blas = loadOpenBlas({ coreType, forceCoreType: false, threads });

/** [m, n, k]: rows × output width × inner width, smallest to largest. */
const SHAPES: readonly (readonly [number, number, number])[] = [
  [1024, 32, 24],
  [256, 64, 64],
  [1024, 64, 32],
  [1024, 128, 24],
  [2048, 128, 32],
  [1024, 128, 128],
  [32, 512, 512],
  [3072, 128, 128],
  [1024, 512, 128],
  [24576, 128, 128],
];

const timeCalls = (call: () => void): number => {
  for (let i = 0; i < Math.max(10, reps / 10); i++) call();
  const start = performance.now();
  for (let i = 0; i < reps; i++) call();
  return ((performance.now() - start) * 1000) / reps;
};

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const rows = SHAPES.map(([m, n, k]) => {
  const a = new Float32Array(m * k).map((_, i) => (i % 7) / 7);
  const b = new Float32Array(k * n).map((_, i) => (i % 5) / 5);
  const c = new Float32Array(m * n);
  const call = () =>
    blas.sgemm({ transA: false, transB: false, m, n, k, a, lda: k, b, ldb: n, beta: 0, c, ldc: n });
  const one: number[] = [];
  const all: number[] = [];
  for (let round = 0; round < 3; round++) {
    blas.setThreads(threads);
    all.push(timeCalls(call));
    blas.setThreads(1);
    one.push(timeCalls(call));
  }
  blas.setThreads(threads);
  const [us1, usN] = [median(one), median(all)];
  process.stderr.write(
    `${m}×${n}×${k}: 1 thread ${us1.toFixed(1)} µs, ${threads} threads ${usN.toFixed(1)} µs\n`,
  );
  return {
    m,
    n,
    k,
    macs: m * n * k,
    us_one_thread: Math.round(us1 * 10) / 10,
    us_all_threads: Math.round(usN * 10) / 10,
    faster: us1 <= usN ? 'one' : 'all',
  };
});

console.log(
  JSON.stringify({
    threads,
    reps,
    threaded_gemm_min_macs: THREADED_GEMM_MIN_MACS,
    load_average_1m: loadavg()[0],
    shapes: rows,
  }),
);
