/**
 * An interleaved in-process A/B of one engine switch on a zoo model's training step
 * (AirPassengersPanel, h 12, input 24, the model's defaults, seed 1): after a warm-up fit, fits of
 * `--steps` steps alternate off/on (order swapped every round) for `--rounds` rounds, and the
 * medians over rounds of each fit's median wall ms/step, process CPU ms/step, this thread's CPU
 * ms/step (apart from OpenBLAS' workers) and kernel calls per step are printed per side, with
 * each fit's last loss (a speed switch must leave it unchanged). On a shared machine only such
 * paired figures mean anything.
 *   npx tsx bench/step-ab.ts --model timemixer --switch gelu-slope [--steps 20] [--rounds 4]
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { setGeluSlopeKernel } from '../packages/engine/src/backend/gelu-kernel.js';
import { setMixtureKernelEnabled } from '../packages/engine/src/backend/mixture-kernel.js';
import { setMaePass } from '../packages/engine/src/losses/mae-pass.js';
import { setBatchNormPass } from '../packages/engine/src/nn/batch-norm-pass.js';
import { setStandardTargetPass } from '../packages/engine/src/scalers/standard-target-pass.js';
import { setSharedSavedTensors } from '../packages/engine/src/backend/shared-saved-tensors.js';
import { setThreadedStepProduct } from '../packages/engine/src/models/recurrent/fused-sequence.js';
import { setSequenceOfInput } from '../packages/engine/src/models/recurrent/unroll.js';
import { setLoopWorker, splitLoopCounts } from '../packages/engine/src/models/recurrent/split-loops.js';
import { NeuralForecast } from '../packages/engine/src/index.js';
import { flag, numberFlag } from './lib/args.js';
import { zooStep } from './lib/zoo-step.js';

/** The switches this script can flip, each back to the engine's default (on) at the end. */
const SWITCHES: Record<string, (on: boolean) => void> = {
  'shared-saved-tensors': setSharedSavedTensors,
  'gelu-slope': setGeluSlopeKernel,
  // on: small per-step recurrent products on one BLAS thread (the default); off: all on every thread.
  'one-thread-steps': (on) => setThreadedStepProduct(on ? undefined : 0),
  'sequence-of-input': setSequenceOfInput,
  'mixture-kernel': setMixtureKernelEnabled,
  'standard-target-pass': setStandardTargetPass,
  'mae-pass': setMaePass,
  'batch-norm-pass': setBatchNormPass,
  // on: a recurrent loop's second window of rows on the worker thread; off: both on this thread.
  'loop-worker': (on) => setLoopWorker(on),
};
/** Every step-overhead switch of the small-model work at once (the shared loop's before/after). */
SWITCHES['small-step'] = (on) =>
  ['mixture-kernel', 'standard-target-pass', 'mae-pass', 'batch-norm-pass'].forEach((name) =>
    SWITCHES[name]!(on),
  );

const id = flag('model', 'timemixer');
const steps = numberFlag('steps', 20);
const rounds = numberFlag('rounds', 4);
const switchName = flag('switch', 'gelu-slope');
const flip = SWITCHES[switchName];
if (!flip) throw new Error(`unknown switch ${switchName}; one of ${Object.keys(SWITCHES).join(', ')}`);
const { panel, config } = await zooStep(id);

/** Kernel calls so far, counted at the engine's one entry for kernels and custom ops. */
const calls = { n: 0 };
const engine = tf.engine() as unknown as { runKernelFunc: (params: unknown) => unknown };
const runKernelFunc = engine.runKernelFunc.bind(engine);
engine.runKernelFunc = (params) => {
  calls.n += 1;
  return runKernelFunc(params);
};

/** CPU ms of this thread alone (Linux; 10 ms ticks). */
const threadCpuMs = (): number => {
  const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;

interface FitFigures {
  wall: number;
  cpu: number;
  thread: number;
  kernels: number;
  loss: number;
}

/** One fit with the switch set; per-step figures over steps 2.. (the first includes set-up). */
const fit = async (on: boolean): Promise<FitFigures> => {
  flip(on);
  const nf = new NeuralForecast({ models: [{ id, config: config(steps) }], freq: 'M' });
  const wall: number[] = [];
  const cpu: number[] = [];
  let [t, c] = [performance.now(), process.cpuUsage()];
  let [thread0, calls0, loss] = [0, 0, NaN];
  await nf.fit({
    df: panel.rows,
    onProgress: (e) => {
      if (e.kind !== 'train') return;
      const used = process.cpuUsage(c);
      wall.push(performance.now() - t);
      cpu.push((used.user + used.system) / 1000);
      if (e.step === 1) [thread0, calls0] = [threadCpuMs(), calls.n];
      loss = e.loss;
      [t, c] = [performance.now(), process.cpuUsage()];
    },
  });
  const counted = Math.max(1, wall.length - 1);
  const figures = {
    wall: median(wall.slice(1)),
    cpu: median(cpu.slice(1)),
    thread: (threadCpuMs() - thread0) / counted,
    kernels: (calls.n - calls0) / counted,
    loss,
  };
  nf.dispose();
  return figures;
};

await fit(true); // warm-up: JIT and caches, not counted (and the loop worker started)
const sides: Record<'off' | 'on', FitFigures[]> = { off: [], on: [] };
for (let round = 0; round < rounds; round += 1) {
  for (const on of round % 2 === 0 ? [false, true] : [true, false]) {
    const figures = await fit(on);
    sides[on ? 'on' : 'off'].push(figures);
    console.log(
      `round ${round} ${on ? 'on ' : 'off'}: wall ${figures.wall.toFixed(2)} cpu ${figures.cpu.toFixed(2)} thread ${figures.thread.toFixed(2)} kernels ${figures.kernels.toFixed(0)} loss ${figures.loss}`,
    );
  }
}
flip(true);
for (const side of ['off', 'on'] as const) {
  const of = (key: keyof FitFigures) => median(sides[side].map((f) => f[key]));
  console.log(
    `${id} ${switchName} ${side}: median ms/step wall ${of('wall').toFixed(2)}, cpu ${of('cpu').toFixed(2)}, thread cpu ${of('thread').toFixed(2)}; kernels/step ${of('kernels').toFixed(0)}`,
  );
}
console.log(
  `load ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`,
);
if (switchName === 'loop-worker') console.log('second windows', JSON.stringify(splitLoopCounts()));
