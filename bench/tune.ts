/**
 * Sampler benchmark: best value found after 25/50/100/200 trials (median and quartiles over 20
 * seeds) on Branin, Hartmann-6 and Rosenbrock-5D for every sampler that handles continuous
 * spaces, and sampler overhead (ms per ask) with 100 and 1,000 past trials.
 * Run: `npx tsx bench/tune.ts [--quick]`. Prints one JSON object to stdout; progress goes to stderr.
 */
import os from 'node:os';
import type { TestFunction } from '@nflab/tune';
import { createNopPruner, createSampler, SAMPLERS, Study, TEST_FUNCTIONS } from '@nflab/tune';

const quick = process.argv.includes('--quick');
const SEEDS = quick ? 5 : 20;
const CHECKPOINTS = quick ? [25, 50, 100] : [25, 50, 100, 200];
const HISTORIES = quick ? [100] : [100, 1000];
const ASKS = quick ? 10 : 30;
const log = (msg: string): void => void process.stderr.write(`${msg}\n`);

const quantile = (sorted: readonly number[], q: number): number => {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
};

const summary = (xs: readonly number[]): { median: number; q1: number; q3: number } => {
  const s = [...xs].sort((a, b) => a - b);
  const r = (x: number): number => Number(x.toPrecision(6));
  return { median: r(quantile(s, 0.5)), q1: r(quantile(s, 0.25)), q3: r(quantile(s, 0.75)) };
};

/** A sampler id with options, under a label. */
interface Variant {
  readonly label: string;
  readonly sampler: string;
  readonly options: Record<string, unknown>;
}

/** Best-so-far after each checkpoint for one seed. */
const trace = async (variant: Variant, f: TestFunction, seed: number): Promise<number[]> => {
  const study = await Study.create({
    space: f.space,
    sampler: createSampler(variant.sampler, variant.options, seed),
    pruner: createNopPruner(),
  });
  const last = CHECKPOINTS[CHECKPOINTS.length - 1] as number;
  const best: number[] = [];
  let current = Infinity;
  for (let i = 1; i <= last; i++) {
    const trial = await study.ask();
    const value = f.fn(trial.params);
    await study.tell(trial, value);
    current = Math.min(current, value);
    if (CHECKPOINTS.includes(i)) best.push(current);
  }
  return best;
};

/**
 * Milliseconds per ask() with `history` COMPLETE trials already in the study (filled at random):
 * CPU time of this process (robust on a shared machine) and wall time.
 */
const overhead = async (
  variant: Variant,
  f: TestFunction,
  history: number,
): Promise<{ cpu: number; wall: number }> => {
  const study = await Study.create({
    space: f.space,
    sampler: createSampler(variant.sampler, variant.options, 1),
    pruner: createNopPruner(),
  });
  const filler = await Study.create({
    storage: study.storage,
    name: study.name,
    sampler: createSampler('random', {}, 2),
    pruner: createNopPruner(),
  });
  await filler.optimize((t) => f.fn(t.params), { nTrials: history });
  let cpu = 0;
  let wall = 0;
  for (let i = 0; i < ASKS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const trial = await study.ask();
    wall += performance.now() - t0;
    const c = process.cpuUsage(c0);
    cpu += (c.user + c.system) / 1000;
    await study.tell(trial, f.fn(trial.params));
  }
  return { cpu: Number((cpu / ASKS).toFixed(4)), wall: Number((wall / ASKS).toFixed(4)) };
};

const main = async (): Promise<void> => {
  const variants: Variant[] = [
    ...Object.values(SAMPLERS)
      .filter((s) => !s.exhaustive)
      .map((s) => ({ label: s.id, sampler: s.id, options: {} })),
    { label: 'tpe_multivariate', sampler: 'tpe', options: { multivariate: true } },
  ];
  const functions = Object.values(TEST_FUNCTIONS);
  // Warm the JIT so the first sampler measured is not charged for compilation.
  for (const v of variants) await overhead(v, TEST_FUNCTIONS.hartmann6, 150);

  const bestValues: Record<string, Record<string, Record<string, ReturnType<typeof summary>>>> = {};
  for (const v of variants) {
    bestValues[v.label] = {};
    for (const f of functions) {
      const t0 = performance.now();
      const traces: number[][] = [];
      for (let seed = 0; seed < SEEDS; seed++) traces.push(await trace(v, f, seed));
      (bestValues[v.label] as Record<string, unknown>)[f.id] = Object.fromEntries(
        CHECKPOINTS.map((c, i) => [String(c), summary(traces.map((t) => t[i] as number))]),
      );
      log(`${v.label} ${f.id}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  }

  const overheadMs: Record<string, Record<string, Record<string, { cpu: number; wall: number }>>> = {};
  for (const v of variants) {
    overheadMs[v.label] = {};
    for (const f of functions) {
      const row: Record<string, { cpu: number; wall: number }> = {};
      for (const h of HISTORIES) row[String(h)] = await overhead(v, f, h);
      (overheadMs[v.label] as Record<string, unknown>)[f.id] = row;
      log(`overhead ${v.label} ${f.id}: ${JSON.stringify(row)}`);
    }
  }

  const result = {
    benchmark: 'tune-samplers',
    quick,
    seeds: SEEDS,
    checkpoints: CHECKPOINTS,
    minima: Object.fromEntries(functions.map((f) => [f.id, f.minimum])),
    skipped: Object.values(SAMPLERS)
      .filter((s) => s.exhaustive)
      .map((s) => ({ id: s.id, reason: 'needs a finite space; the benchmark functions are continuous' })),
    bestValue: bestValues,
    overheadMsPerAsk: overheadMs,
    overheadNote:
      'ms per Study.ask() with N COMPLETE trials in in-memory storage (keys 100/1000), mean over asks after a JIT warm-up; cpu = process CPU time, wall = elapsed (inflated when the machine is shared)',
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model ?? 'unknown',
      loadavg: os.loadavg().map((x) => Number(x.toFixed(2))),
      node: process.version,
    },
    date: new Date().toISOString(),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
};

await main();
