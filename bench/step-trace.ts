/**
 * Every kernel of one steady-state training step of a zoo model, in order: name, nesting depth
 * (kernels inside a custom op are indented), input shapes and this thread's CPU µs — to see which
 * ops a step runs and which could go, at the zoo yardstick's shapes (AirPassengersPanel, h 12,
 * input 24, the model's defaults, seed 1). Also tensors created per step.
 *   npx tsx bench/step-trace.ts --model deepnpts [--step 5] [--repeats 1] [--summary] [--blas-threads 1]
 *     [--no-mixture-kernel]
 */
import * as tf from '@tensorflow/tfjs-core';
import { NeuralForecast } from '../packages/engine/src/index.js';
import { flag, has, numberFlag } from './lib/args.js';
import { zooStep } from './lib/zoo-step.js';

const id = flag('model', 'deepnpts');
const traced = numberFlag('step', 5);
/** Steps traced (from `traced` on); each kernel's CPU time is the median over them. */
const repeats = numberFlag('repeats', 1);
// One BLAS thread: process CPU time is then this thread's, so each kernel is billed its own time
// (OpenBLAS workers spin after a product and would bill the next kernels).
const { panel, config } = await zooStep(id, { blasThreads: numberFlag('blas-threads', 1) });
if (has('no-mixture-kernel'))
  (await import('../packages/engine/src/backend/mixture-kernel.js')).setMixtureKernelEnabled(false);

interface Entry {
  name: string;
  depth: number;
  shapes: string;
  us: number;
}
const log: Entry[] = [];
let recording = false;
let depth = 0;
const engine = tf.engine() as unknown as {
  runKernelFunc: (params: { kernelName?: string; inputs: Record<string, tf.Tensor | null> }) => unknown;
  state: { activeScope: { name: string } | null; nextTensorId?: number };
};
const runKernelFunc = engine.runKernelFunc.bind(engine);
engine.runKernelFunc = (params) => {
  if (!recording) return runKernelFunc(params);
  const entry: Entry = {
    name: params.kernelName ?? `custom:${engine.state.activeScope?.name ?? '?'}`,
    depth,
    shapes: Object.values(params.inputs)
      .map((t) => (t ? `[${t.shape.join(',')}]` : '-'))
      .join(' '),
    us: 0,
  };
  log.push(entry);
  depth += 1;
  const c0 = process.cpuUsage();
  try {
    return runKernelFunc(params);
  } finally {
    const c = process.cpuUsage(c0);
    entry.us = c.user + c.system;
    depth -= 1;
  }
};

let tensorsAtStart = 0;
let tensorsMade = 0;
// tfjs counts tensor ids on the Engine class (a static).
const nextId = (): number => (tf.engine().constructor as unknown as { nextTensorId: number }).nextTensorId;
let cpuAtStart = process.cpuUsage();
let stepCpuUs = 0;
const nf = new NeuralForecast({
  models: [{ id, config: config(traced + repeats) }],
  freq: 'M',
});
await nf.fit({
  df: panel.rows,
  onProgress: (e) => {
    if (e.kind !== 'train') return;
    if (e.step === traced - 1) {
      recording = true;
      tensorsAtStart = nextId();
      cpuAtStart = process.cpuUsage();
    } else if (e.step === traced + repeats - 1) {
      recording = false;
      tensorsMade = nextId() - tensorsAtStart;
      const c = process.cpuUsage(cpuAtStart);
      stepCpuUs = c.user + c.system;
    }
  },
});
nf.dispose();
// Every step runs the same kernels in the same order: fold the repeats into one step, median µs.
const perStep = log.length / repeats;
if (!Number.isInteger(perStep)) throw new Error('steps ran different kernels');
for (let i = 0; i < perStep; i += 1) {
  const us = Array.from({ length: repeats }, (_, r) => (log[r * perStep + i] as Entry).us).sort(
    (a, b) => a - b,
  );
  (log[i] as Entry).us = us[repeats >> 1] as number;
}
log.length = perStep;
stepCpuUs /= repeats;
tensorsMade /= repeats;
if (has('summary')) {
  const byName = new Map<string, { n: number; us: number }>();
  for (const e of log) {
    const s = byName.get(e.name) ?? { n: 0, us: 0 };
    s.n += 1;
    s.us += e.depth === 0 ? e.us : 0;
    byName.set(e.name, s);
  }
  for (const [name, s] of [...byName].sort((a, b) => b[1].n - a[1].n))
    console.log(`${name.padEnd(28)} ${s.n}`);
} else {
  for (const e of log) console.log(`${'  '.repeat(e.depth)}${e.name} ${e.shapes} ${e.us}`);
}
const top = log.filter((e) => e.depth === 0);
console.log(
  `step ${traced}: ${log.length} kernel calls (${top.length} top-level, ${top.reduce((a, e) => a + e.us, 0)} µs CPU), ${tensorsMade} tensors created; step CPU ${stepCpuUs} µs`,
);
