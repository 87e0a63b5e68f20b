/**
 * Where one SIMD kernel call over a batch of small products stops beating one OpenBLAS sgemm call
 * per product: tf.matMul on the wasm backend with the native path, the batched kernel switched on
 * and off in alternating rounds (native/small-gemm.ts, `SMALL_GEMM_MAX_MACS`). Shapes are the
 * attention products of the zoo's models (PatchTST's 16,384 of 3×8×3, VanillaTransformer's 4,096
 * of 24×24×32, Informer's and FEDformer's at short windows, …) and attention-like products of
 * growing length.
 *   npx tsx bench/small-gemm.ts [--rounds 5] [--match vanilla]
 * Prints ONE JSON object on stdout: per shape, ms per batched matmul with the kernel and with sgemm.
 */
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { enableNativeMatmul, setBackend } from '../packages/engine/src/index.js';
import { SMALL_GEMM_MAX_MACS, setSmallGemmKernelEnabled } from '../packages/engine/src/native/small-gemm.js';
import { flag, numberFlag } from './lib/args.js';

const rounds = numberFlag('rounds', 5);

interface Shape {
  readonly label: string;
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly transA: boolean;
  readonly transB: boolean;
}

const shape = (label: string, batch: number, [m, n, k]: number[], transA = false, transB = false): Shape => ({
  label,
  batch,
  m: m!,
  n: n!,
  k: k!,
  transA,
  transB,
});

/** The products attention runs forward (q·kᵀ: NT, w·v: NN) and backward (NN, TN, NT) at [B·H, L, E]. */
const attention = (model: string, batch: number, L: number, E: number): Shape[] => [
  shape(`${model} scores q·kᵀ`, batch, [L, L, E], false, true),
  shape(`${model} mix w·v`, batch, [L, E, L]),
  shape(`${model} grad wᵀ·dy`, batch, [L, E, L], true, false),
];

const SHAPES: readonly Shape[] = [
  ...attention('patchtst', 1024 * 16, 3, 8),
  ...attention('vanillatransformer', 1024 * 4, 24, 32),
  ...attention('h8-e16', 1024 * 8, 36, 16),
  // Informer's ProbSparse products at a short window (9 or 12 sampled queries/keys, E = 32).
  ...attention('informer-short', 1024 * 4, 9, 32),
  ...attention('informer-short', 1024 * 4, 12, 32),
  // FEDformer's Fourier-mode products (6 modes × 32 channels × 8).
  shape('fedformer modes', 1024 * 8, [6, 32, 8]),
  shape('fedformer modes', 1024 * 8, [6, 8, 32], false, true),
  shape('fedformer modes', 1024 * 8, [8, 32, 6], true, false),
  // Attention-like products of growing length at E = 16, batch chosen for ~2^24 multiply-adds.
  ...[4, 8, 12, 16, 20, 24, 32].flatMap((L) =>
    attention(`sweep L=${L}`, Math.min(16384, Math.round(2 ** 24 / (L * L * 16))), L, 16),
  ),
  // Longer, wider products (E = 32, 64), where the register-blocked kernel meets BLAS' own blocking.
  ...[32, 48, 64, 96].flatMap((L) =>
    [32, 64].flatMap((E) => attention(`sweep L=${L} E=${E}`, Math.round(2 ** 25 / (L * L * E)), L, E)),
  ),
];

await setBackend('wasm');
// One BLAS thread: products this small run on one thread anyway (size-aware-sgemm.ts).
const native = enableNativeMatmul({ threads: 1 });
if (!native.enabled) throw new Error(`native path unavailable: ${native.reason}`);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** ms per matmul of `reps` runs (after one warm-up). */
const timeMatmul = (a: tf.Tensor, b: tf.Tensor, s: Shape, reps: number): number => {
  tf.matMul(a, b, s.transA, s.transB).dispose();
  const start = performance.now();
  for (let i = 0; i < reps; i++) tf.matMul(a, b, s.transA, s.transB).dispose();
  return (performance.now() - start) / reps;
};

// --match TEXT: only the shapes whose label contains TEXT.
const match = flag('match', '');

const rows = SHAPES.filter((s) => s.label.includes(match)).map((s) => {
  const a = tf.randomUniform([s.batch, ...(s.transA ? [s.k, s.m] : [s.m, s.k])], -1, 1, 'float32', 1);
  const b = tf.randomUniform([s.batch, ...(s.transB ? [s.n, s.k] : [s.k, s.n])], -1, 1, 'float32', 2);
  const kernel: number[] = [];
  const sgemm: number[] = [];
  for (let round = 0; round < rounds; round++) {
    setSmallGemmKernelEnabled(true, Infinity);
    kernel.push(timeMatmul(a, b, s, 5));
    setSmallGemmKernelEnabled(false);
    sgemm.push(timeMatmul(a, b, s, 5));
  }
  setSmallGemmKernelEnabled(true);
  tf.dispose([a, b]);
  const [msKernel, msSgemm] = [median(kernel), median(sgemm)];
  const macs = s.m * s.n * s.k;
  process.stderr.write(
    `${s.label} [${s.batch}] ${s.m}×${s.n}×${s.k} (${macs} MACs): kernel ${msKernel.toFixed(2)} ms, sgemm ${msSgemm.toFixed(2)} ms\n`,
  );
  return {
    ...s,
    macs,
    ms_kernel: Math.round(msKernel * 100) / 100,
    ms_sgemm: Math.round(msSgemm * 100) / 100,
    faster: msKernel <= msSgemm ? 'kernel' : 'sgemm',
  };
});

console.log(
  JSON.stringify({
    rounds,
    small_gemm_max_macs: SMALL_GEMM_MAX_MACS,
    load_average_1m: loadavg()[0],
    shapes: rows,
  }),
);
