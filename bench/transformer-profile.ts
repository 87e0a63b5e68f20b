/**
 * One model's training step at the zoo yardstick (B=1024 windows, input_size 24, h 12, the model's
 * defaults, no exogenous): wall and CPU ms per forward+backward, peak RSS, and with --kernels the
 * kernel time by kernel name (tf.profile) — what to speed up next. For the attention models
 * (vanillatransformer, informer, autoformer, fedformer, patchtst) and any other registry id.
 *   npx tsx bench/transformer-profile.ts --model fedformer [--steps 3] [--kernels|--cpu-kernels [--shapes] [--shape-totals] [--profile-steps 1]] [--batch 1024]
 *     [--cpuprofile FILE] [--blas-threads 2] [--ab-small-gemm]
 * --cpu-kernels: times the kernels by CPU time on one BLAS thread (a loaded machine's wall clock
 * says little); implies --kernels.
 * --ab-small-gemm: after the steps, the batched small-product kernel (native/small-gemm.ts) on and
 * off in alternating steps (`--steps` rounds each), with median wall and CPU ms per step; with
 * --kernels, a kernel report for each. --ab-cutoff N: "off" is the kernel with products only up to
 * N multiply-adds (sgemm above), to weigh a change of SMALL_GEMM_MAX_MACS.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import * as tf from '@tensorflow/tfjs-core';
import { enableNativeMatmul, setBackend } from '../packages/engine/src/index.js';
import type { UnivariateModelSpec } from '../packages/engine/src/model/types.js';
import { setSmallGemmKernelEnabled } from '../packages/engine/src/native/small-gemm.js';
import { MODELS } from '../packages/engine/src/models/registry.js';
import { flag, has, numberFlag } from './lib/args.js';
import { printKernelReport, timeKernelsByCpu } from './lib/kernel-report.js';
import { yardstickStep } from './lib/yardstick-step.js';

const steps = numberFlag('steps', 3);
const B = numberFlag('batch', 1024);
const cpuKernels = has('cpu-kernels');
const kernels = cpuKernels || has('kernels');
const model = flag('model', 'vanillatransformer') as keyof typeof MODELS;
// The attention models are univariate; the registry's union of config types does not narrow by id.
const spec = MODELS[model] as unknown as UnivariateModelSpec;

await setBackend('wasm');
// --blas-threads 1: BLAS on this thread only, so a CPU profile's samples are CPU time even under load.
console.log('native', enableNativeMatmul({ threads: cpuKernels ? 1 : numberFlag('blas-threads', 2) }));
if (cpuKernels) timeKernelsByCpu(tf.backend());
const { network, step } = yardstickStep(spec, spec.configSchema.parse({}), B);

// --cpuprofile FILE: a V8 CPU profile of the steps after the first (which pays the heap growth).
const profileFile = flag('cpuprofile', '');
const session = profileFile ? new Session() : undefined;
const post = (method: string): Promise<unknown> =>
  new Promise((resolve, reject) =>
    session?.post(method, (error, result) => (error ? reject(error) : resolve(result))),
  );
for (let s = 0; s < steps; s++) {
  if (session && s === 1) {
    session.connect();
    await post('Profiler.enable');
    await post('Profiler.start');
  }
  const [t0, c0] = [performance.now(), process.cpuUsage()];
  step(s);
  const c = process.cpuUsage(c0);
  console.log(
    `step ${s}: ${(performance.now() - t0).toFixed(0)} ms wall, ${((c.user + c.system) / 1000).toFixed(0)} ms cpu (${(c.system / 1000).toFixed(0)} sys), rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`,
  );
}
if (session && steps > 1) {
  const { profile } = (await post('Profiler.stop')) as { profile: unknown };
  writeFileSync(profileFile, JSON.stringify(profile));
  session.disconnect();
}
const abSmallGemm = has('ab-small-gemm');
const abCutoff = numberFlag('ab-cutoff', 0);
/** The "off" side of the A/B: no kernel, or the kernel up to the --ab-cutoff size. */
const setSide = (on: boolean): void =>
  on || abCutoff === 0 ? setSmallGemmKernelEnabled(on) : setSmallGemmKernelEnabled(true, abCutoff);
const offLabel = abCutoff === 0 ? 'off' : `up to ${abCutoff} MACs`;
if (abSmallGemm) {
  const samples = { on: [] as number[][], off: [] as number[][] };
  for (let round = 0; round < steps; round++)
    for (const side of ['on', 'off'] as const) {
      setSide(side === 'on');
      const [t0, c0] = [performance.now(), process.cpuUsage()];
      step(100 + round);
      const c = process.cpuUsage(c0);
      samples[side].push([performance.now() - t0, (c.user + c.system) / 1000]);
    }
  setSmallGemmKernelEnabled(true);
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  for (const side of ['on', 'off'] as const)
    console.log(
      `small-gemm kernel ${side === 'on' ? 'on' : offLabel}: median ${median(samples[side].map((x) => x[0]!)).toFixed(0)} ms wall, ${median(samples[side].map((x) => x[1]!)).toFixed(0)} ms cpu per step (${steps} steps)`,
    );
}
if (kernels) {
  // With --ab-small-gemm, one report with the kernel and one without.
  for (const on of abSmallGemm ? [true, false] : [true]) {
    setSide(on);
    const profileSteps = numberFlag('profile-steps', 1);
    const info = await tf.profile(() => {
      for (let s = 0; s < profileSteps; s++) step(99 + s);
    });
    printKernelReport(info, {
      steps: profileSteps,
      shapes: has('shapes'),
      shapeTotals: has('shape-totals'),
      label: abSmallGemm ? `small-gemm kernel ${on ? 'on' : offLabel}` : undefined,
    });
  }
  setSmallGemmKernelEnabled(true);
}

console.log(
  `peak rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; load ${(await import('node:os'))
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`,
);
network.dispose();
