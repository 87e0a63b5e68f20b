import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, writeSync, fsyncSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@nflab/contracts';
import { startResourceMonitor, summarize, type ResourceSample } from '../../src/monitor/index.js';
import { hasNvidiaGpu, probeGpus } from '../../src/monitor/gpu.js';
import { openCpuTimes, openProcessIo } from '../../src/monitor/proc-files.js';
import { createSampler } from '../../src/monitor/sampler.js';

const INTERVAL_MS = 50;
const machineHasNvidiaGpu = hasNvidiaGpu(await probeGpus());

const readable = (open: () => { read(): unknown; close(): void }): boolean => {
  const file = open();
  const value = file.read();
  file.close();
  return value !== null;
};
const procIoReadable = readable(openProcessIo);
const procStatReadable = readable(openCpuTimes);

/** Spins one worker thread for `ms`: CPU the main thread's counters would not show if they were per-thread. */
const burnInWorker = (ms: number): Promise<void> =>
  new Promise((resolve, reject) => {
    const worker = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads');
       const end = Date.now() + workerData;
       let x = 0;
       while (Date.now() < end) x += Math.sqrt(x + 1);
       parentPort.postMessage(x);`,
      { eval: true, workerData: ms },
    );
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });

const collectWhile = async (
  work: () => Promise<void>,
  options: { gpu?: 'auto' | 'off' } = {},
): Promise<{
  samples: ResourceSample[];
  summary: Awaited<ReturnType<Awaited<ReturnType<typeof startResourceMonitor>>['stop']>>;
}> => {
  const samples: ResourceSample[] = [];
  const monitor = await startResourceMonitor({
    intervalMs: INTERVAL_MS,
    onSample: (sample) => {
      samples.push(sample);
    },
    ...options,
  });
  await work();
  const summary = await monitor.stop();
  return { samples, summary };
};

describe('createSampler', () => {
  it.skipIf(!procStatReadable)(
    'a sample within the same clock tick as the previous one keeps the latest machine CPU, not null',
    async () => {
      const sampler = createSampler(null);
      try {
        expect(sampler.take().cpuSystem).toBeNull();
        await sleep(60);
        const measured = sampler.take().cpuSystem;
        expect(measured).not.toBeNull();
        // Taken at once: /proc/stat counts 10 ms ticks, so usually no tick has passed.
        const immediate = sampler.take().cpuSystem;
        expect(immediate).not.toBeNull();
        expect(immediate).toBeGreaterThanOrEqual(0);
      } finally {
        sampler.close();
      }
    },
  );
});

describe('startResourceMonitor', () => {
  it('takes a before sample, samples at the interval and an after sample at stop', async () => {
    const { samples, summary } = await collectWhile(() => sleep(500));
    // 500 ms at 50 ms would be ~10 ticks; a loaded machine may fire fewer, never a burst of many more.
    expect(samples.length).toBeGreaterThanOrEqual(4);
    expect(samples.length).toBeLessThanOrEqual(14);
    expect(summary.samples).toBe(samples.length);
    expect(summary.before).toBe(samples[0]);
    expect(summary.after).toBe(samples.at(-1));
    expect(summary.intervalMs).toBe(INTERVAL_MS);
    const times = samples.map((s) => s.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(summary.processCpuMs).toBeGreaterThan(0);
    expect(summary.monitorCpuMs).toBeGreaterThan(0);
    expect(summary.monitorCostPercent).toBeCloseTo((summary.monitorCpuMs / summary.processCpuMs) * 100, 6);
    expect(summary.onSampleErrors).toBe(0);
    // The series leave `before` out: its CPU covers the process's life before the run.
    expect(summary.series).toEqual(summarize(samples.slice(1)));
  });

  it('sees CPU burnt in a worker thread as process CPU', async () => {
    const idle = await collectWhile(() => sleep(300));
    const busy = await collectWhile(() => burnInWorker(600));
    // The first sample's rate covers the time since the process started, so it is left out.
    const peak = (samples: ResourceSample[]): number =>
      Math.max(...samples.slice(1).map((s) => s.cpuProcess));
    const mean = (samples: ResourceSample[]): number =>
      samples.slice(1).reduce((sum, s) => sum + s.cpuProcess, 0) / (samples.length - 1);
    expect(peak(busy.samples)).toBeGreaterThan(mean(idle.samples) + 10);
    for (const sample of busy.samples) {
      expect(sample.cpuProcess).toBeGreaterThanOrEqual(0);
      if (sample.cpuSystem !== null) expect(sample.cpuSystem).toBeGreaterThanOrEqual(0);
    }
    expect(busy.summary.before.cpuSystem).toBeNull();
    if (procStatReadable) expect(busy.summary.after.cpuSystem).not.toBeNull();
  });

  it('counts the bytes this process writes to disk since start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nflab-monitor-'));
    const bytes = 4 * 1024 * 1024;
    try {
      const { summary } = await collectWhile(async () => {
        const fd = openSync(join(dir, 'data.bin'), 'w');
        writeSync(fd, Buffer.alloc(bytes, 1));
        fsyncSync(fd);
        closeSync(fd);
        await sleep(INTERVAL_MS);
      });
      if (!procIoReadable) {
        expect(summary.after.diskWriteBytes).toBeNull();
      } else {
        expect(summary.before.diskWriteBytes).toBe(0);
        expect(summary.after.diskWriteBytes).toBeGreaterThanOrEqual(bytes);
        expect(summary.series.diskWriteBytes.peak).toBe(summary.after.diskWriteBytes);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has byte and memory gauges that make sense', async () => {
    const { samples } = await collectWhile(() => sleep(120));
    for (const sample of samples) {
      expect(sample.rssBytes).toBeGreaterThan(sample.heapBytes);
      expect(sample.memUsedBytes).toBeGreaterThan(0);
      expect(sample.memUsedBytes).toBeLessThanOrEqual(sample.memTotalBytes);
      for (const counter of [sample.netRxBytes, sample.netTxBytes, sample.diskReadBytes]) {
        if (counter !== null) expect(counter).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it.skipIf(machineHasNvidiaGpu)('leaves GPU fields null, never 0, where there is no GPU', async () => {
    for (const gpu of ['auto', 'off'] as const) {
      const { samples, summary } = await collectWhile(() => sleep(120), { gpu });
      for (const sample of samples) {
        expect([sample.gpuUtil, sample.vramUsedBytes, sample.vramTotalBytes]).toEqual([null, null, null]);
      }
      expect(summary.series.gpuUtil).toEqual({ peak: null, mean: null });
      expect(summary.series.vramTotalBytes).toEqual({ peak: null, mean: null });
    }
  });

  it('counts failing onSample calls and keeps sampling', async () => {
    let calls = 0;
    const monitor = await startResourceMonitor({
      intervalMs: INTERVAL_MS,
      onSample: async (sample) => {
        calls += 1;
        if (calls % 2 === 0) throw new Error(`sink down at ${sample.at.toISOString()}`);
        await sleep(1);
      },
    });
    await sleep(250);
    const summary = await monitor.stop();
    expect(calls).toBe(summary.samples);
    expect(summary.onSampleErrors).toBe(Math.floor(calls / 2));
    expect(summary.samples).toBeGreaterThanOrEqual(3);
    // stop() is idempotent: a second call returns the same summary, no second after sample.
    expect(await monitor.stop()).toBe(summary);
    expect(monitor.latest()).toBe(summary.after);
  });

  it('rejects an unusable interval naming the option', async () => {
    await expect(startResourceMonitor({ intervalMs: 0 })).rejects.toBeInstanceOf(ConfigError);
    await expect(startResourceMonitor({ intervalMs: Number.NaN })).rejects.toThrow(/intervalMs/);
  });

  it('does not keep a process alive that forgot to stop it', () => {
    const source = fileURLToPath(new URL('../../src/monitor/monitor.ts', import.meta.url));
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `const { startResourceMonitor } = await import(${JSON.stringify(source)});
         await startResourceMonitor({ intervalMs: 20 });
         console.log('started');`,
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(child.stderr).toBe('');
    expect(child.signal).toBeNull();
    expect(child.status).toBe(0);
    expect(child.stdout.trim()).toBe('started');
  });
});
