/**
 * One recurrent-family model's training step at the zoo yardstick (AirPassengersPanel, h 12,
 * input_size 24, the model's defaults, seed 1): a full-data fit of `--steps` steps, wall and CPU ms
 * per step (steps 2.. only: the first includes set-up), and with --kernels the kernel time by kernel
 * name (tf.profile over a further fit of `--profile-steps` steps) — what to speed up next.
 *   npx tsx bench/recurrent-profile.ts --model lstm [--steps 30] [--kernels] [--profile-steps 3]
 *     [--set key=value,...] [--threads N] [--no-simd]
 * Run under `node --cpu-prof --import tsx` for a JavaScript profile.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { NeuralForecast } from '../packages/engine/src/index.js';
import { setFusedSimdLoops } from '../packages/engine/src/models/recurrent/fused-sequence.js';
import { flag, has, numberFlag, overrides } from './lib/args.js';
import { printKernelReport } from './lib/kernel-report.js';
import { zooStep } from './lib/zoo-step.js';

const model = flag('model', 'lstm');
const steps = numberFlag('steps', 30);
const profileSteps = numberFlag('profile-steps', 3);

const blasThreads = has('threads') ? numberFlag('threads', 2) : undefined;
const { panel, native, config } = await zooStep(model, { blasThreads, overrides: overrides() });
console.log('native', JSON.stringify(native));
// --no-simd: the fused recurrent loops' gate pass in JavaScript, for A/B runs.
if (has('no-simd')) setFusedSimdLoops(false);

/**
 * CPU ms of this process's main thread (Linux: /proc/self/task/<pid>/stat, 10 ms ticks), apart from
 * OpenBLAS' worker threads, whose idle spinning process.cpuUsage() counts too.
 */
const mainThreadCpuMs = (): number => {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in 100 Hz ticks
  } catch {
    return NaN;
  }
};

/** Fits `n` steps; wall and CPU ms of every step after the first. */
const fit = async (n: number): Promise<{ wall: number[]; cpu: number[]; mainCpu: number }> => {
  const nf = new NeuralForecast({ models: [{ id: model, config: config(n) }], freq: 'M' });
  const wall: number[] = [];
  const cpu: number[] = [];
  let [t, c] = [performance.now(), process.cpuUsage()];
  let main0 = NaN;
  await nf.fit({
    df: panel.rows,
    onProgress: (e) => {
      if (e.kind !== 'train') return;
      if (e.step === 1) main0 = mainThreadCpuMs();
      const [now, used] = [performance.now(), process.cpuUsage(c)];
      wall.push(now - t);
      cpu.push((used.user + used.system) / 1000);
      [t, c] = [now, process.cpuUsage()];
    },
  });
  const mainCpu = (mainThreadCpuMs() - main0) / Math.max(1, wall.length - 1);
  nf.dispose();
  return { wall: wall.slice(1), cpu: cpu.slice(1), mainCpu };
};

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;
const load0 = loadavg()[0]!;
const run = await fit(steps);
console.log(
  `${model}: ${mean(run.wall).toFixed(1)} ms/step wall (median ${median(run.wall).toFixed(1)}), ` +
    `${mean(run.cpu).toFixed(1)} ms/step cpu (main thread ${run.mainCpu.toFixed(1)}) over ${run.wall.length} steps; load ${load0.toFixed(2)} -> ${loadavg()[0]!.toFixed(2)}`,
);

if (has('kernels')) {
  const info = await tf.profile(async () => {
    await fit(profileSteps);
  });
  printKernelReport(info, { steps: profileSteps, shapes: has('shapes') });
}
