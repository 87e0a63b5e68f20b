/**
 * Where a zoo model's training step goes: the zoo's speed fit (AirPassengersPanel, h 12, input 24,
 * the model's defaults) run through the real training loop, with per-step wall and CPU time, and
 * with --kernels one more short fit under tf.profile: kernels per step by name (calls, ms) — the
 * per-op overhead that dominates tiny networks.
 *   npx tsx bench/step-profile.ts --model tsmixerx [--steps 30] [--kernels] [--shapes] [--blas-threads 1]
 */
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { NeuralForecast } from '../packages/engine/src/index.js';
import { flag, has, numberFlag } from './lib/args.js';
import { printKernelReport } from './lib/kernel-report.js';
import { zooStep } from './lib/zoo-step.js';

const id = flag('model', 'tsmixerx');
const steps = numberFlag('steps', 30);
const profileSteps = numberFlag('profile-steps', 5);
const blasThreads = has('blas-threads') ? numberFlag('blas-threads', 1) : undefined;
const { panel, native, config } = await zooStep(id, { blasThreads });

/** One fit; per-step wall and CPU ms from the progress events (the first step, with set-up, left out). */
const timedFit = async (maxSteps: number) => {
  const nf = new NeuralForecast({ models: [{ id, config: config(maxSteps) }], freq: 'M' });
  const wall: number[] = [];
  const cpu: number[] = [];
  let [t, c] = [performance.now(), process.cpuUsage()];
  await nf.fit({
    df: panel.rows,
    onProgress: (e) => {
      if (e.kind !== 'train') return;
      const used = process.cpuUsage(c);
      wall.push(performance.now() - t);
      cpu.push((used.user + used.system) / 1000);
      [t, c] = [performance.now(), process.cpuUsage()];
    },
  });
  nf.dispose();
  const mean = (xs: number[]) => xs.slice(1).reduce((a, b) => a + b, 0) / Math.max(1, xs.length - 1);
  const median = (xs: number[]) => {
    const s = xs.slice(1).sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)] ?? NaN;
  };
  return { wallMean: mean(wall), wallMedian: median(wall), cpuMean: mean(cpu), cpuMedian: median(cpu) };
};

console.log(
  `${id}: native ${native.enabled ? native.library : native.reason}; load ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`,
);
const r = await timedFit(steps);
console.log(
  `${steps} steps: wall ${r.wallMean.toFixed(2)} ms/step (median ${r.wallMedian.toFixed(2)}), cpu ${r.cpuMean.toFixed(2)} ms/step (median ${r.cpuMedian.toFixed(2)})`,
);
if (has('kernels')) {
  const info = await tf.profile(async () => {
    await timedFit(profileSteps);
  });
  printKernelReport(info, {
    steps: profileSteps,
    shapes: has('shapes'),
    label: `fit of ${profileSteps} steps, set-up included`,
  });
}
console.log(
  `load ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`,
);
