/**
 * TFT's training step at the zoo yardstick (B=1024 windows, input_size 24, h 12, hidden 128, no
 * exogenous): wall and CPU ms per forward+backward, peak RSS, and with --kernels the kernel time by
 * kernel name (tf.profile) — what to speed up next. --cpu-kernels times the kernels by CPU time on
 * one BLAS thread (a loaded machine's wall clock says little).
 *   npx tsx bench/tft-profile.ts [--steps 3] [--kernels] [--cpu-kernels] [--profile-steps 1] [--shapes] [--batch 1024]
 */
import * as tf from '@tensorflow/tfjs-core';
import { enableNativeMatmul, setBackend } from '../packages/engine/src/index.js';
import { MODELS } from '../packages/engine/src/models/registry.js';
import { has, numberFlag } from './lib/args.js';
import { printKernelReport, timeKernelsByCpu } from './lib/kernel-report.js';
import { yardstickStep } from './lib/yardstick-step.js';

const steps = numberFlag('steps', 3);
const B = numberFlag('batch', 1024);
const cpuKernels = has('cpu-kernels');
const kernels = cpuKernels || has('kernels');

await setBackend('wasm');
console.log('native', enableNativeMatmul(cpuKernels ? { threads: 1 } : {}));
if (cpuKernels) timeKernelsByCpu(tf.backend());
const { network, step } = yardstickStep(
  MODELS.tft,
  MODELS.tft.configSchema.parse({ hidden_size: numberFlag('hidden', 128) }),
  B,
);

for (let s = 0; s < steps; s++) {
  const [t0, c0] = [performance.now(), process.cpuUsage()];
  step(s);
  const c = process.cpuUsage(c0);
  console.log(
    `step ${s}: ${(performance.now() - t0).toFixed(0)} ms wall, ${((c.user + c.system) / 1000).toFixed(0)} ms cpu, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`,
  );
}
if (kernels) {
  const profileSteps = numberFlag('profile-steps', 1);
  const info = await tf.profile(() => {
    for (let s = 0; s < profileSteps; s++) step(99 + s);
  });
  printKernelReport(info, { steps: profileSteps, shapes: has('shapes') });
}

console.log(
  `peak rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; load ${(await import('node:os'))
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`,
);
network.dispose();
