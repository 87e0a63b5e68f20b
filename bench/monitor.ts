/**
 * What the resource monitor costs: it samples at `--interval-ms` (default 1000) while one worker
 * thread runs a CPU-bound loop for `--seconds` (default 10) — the shape of a training run, whose
 * trials run in worker_threads. The goal is a monitor cost under 1% of the run's CPU.
 * `npx tsx bench/monitor.ts [--interval-ms N] [--seconds N]` prints ONE JSON object on stdout.
 */
import { Worker } from 'node:worker_threads';
import { startResourceMonitor } from '../packages/runner/src/monitor/index.js';

const flag = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const INTERVAL_MS = flag('interval-ms', 1000);
const SECONDS = flag('seconds', 10);

const burn = (ms: number): Promise<void> =>
  new Promise((resolve, reject) => {
    const worker = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads');
       const end = Date.now() + workerData;
       let x = 0;
       while (Date.now() < end) for (let i = 0; i < 1e5; i++) x += Math.sqrt(x + i);
       parentPort.postMessage(x);`,
      { eval: true, workerData: ms },
    );
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });

const round = (value: number, digits = 3): number => Number(value.toFixed(digits));

const started = performance.now();
const monitor = await startResourceMonitor({ intervalMs: INTERVAL_MS });
await burn(SECONDS * 1000);
const summary = await monitor.stop();
const wallMs = performance.now() - started;
process.stderr.write(
  `${summary.samples} samples, monitor ${summary.monitorCostPercent.toFixed(4)}% of the CPU\n`,
);
console.log(
  JSON.stringify({
    intervalMs: summary.intervalMs,
    monitorCpuMs: round(summary.monitorCpuMs),
    processCpuMs: round(summary.processCpuMs),
    monitorCostPercent: round(summary.monitorCostPercent, 4),
    // The monitor's share of one core, independent of how much CPU a busy machine left the run.
    monitorPercentOfOneCore: round((summary.monitorCpuMs / wallMs) * 100, 4),
    wallMs: round(wallMs, 1),
    samples: summary.samples,
    monitorMsPerSample: round(summary.monitorCpuMs / summary.samples, 4),
    cpuProcess: summary.series.cpuProcess,
    cpuSystem: summary.series.cpuSystem,
    rssPeakBytes: summary.series.rssBytes.peak,
    gpu: summary.after.gpuUtil === null ? 'none' : 'nvidia-smi',
  }),
);
