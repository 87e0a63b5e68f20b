/**
 * The resource monitor of a run: a `before` sample at start, one every `intervalMs` on an unref'd
 * timer that does not drift, an `after` sample at stop, and a summary that includes what the
 * monitor itself cost.
 */
import { ConfigError } from '@nflab/contracts';
import { hasNvidiaGpu, probeGpus, startNvidiaSmiStream, type GpuStream } from './gpu.js';
import { createSampler } from './sampler.js';
import { createSeriesAccumulator } from './summarize.js';
import type { MonitorOptions, ResourceMonitor, ResourceSample, ResourceSummary } from './types.js';

const DEFAULT_INTERVAL_MS = 1000;
// Below this the monitor would measure mostly itself and timer jitter.
const MIN_INTERVAL_MS = 10;
// nvidia-smi needs a moment to start; the `before` sample waits this long for its first line at most.
const GPU_FIRST_READING_WAIT_MS = 3000;

const checkInterval = (intervalMs: number): number => {
  if (!Number.isFinite(intervalMs) || intervalMs < MIN_INTERVAL_MS) {
    throw new ConfigError(
      `intervalMs: ${intervalMs} is not a usable sampling interval — give a number of milliseconds ≥ ${MIN_INTERVAL_MS} (default ${DEFAULT_INTERVAL_MS})`,
    );
  }
  return intervalMs;
};

const startGpuStream = async (options: MonitorOptions, intervalMs: number): Promise<GpuStream | null> => {
  if (options.gpu === 'off' || !hasNvidiaGpu(await probeGpus())) return null;
  const stream = startNvidiaSmiStream(intervalMs);
  await stream.firstReading(GPU_FIRST_READING_WAIT_MS);
  return stream;
};

/** Accumulates the CPU time of the monitor's own synchronous work. */
const createCostMeter = (): { measure: <T>(work: () => T) => T; totalMs: () => number } => {
  let totalMs = 0;
  return {
    // The work runs on the main thread and Node 20 has no per-thread CPU clock, so its CPU is
    // bounded from above twice: by its wall time (too high when the thread is preempted on a busy
    // machine) and by the whole process's CPU over that time (too high while worker threads
    // compute meanwhile). The smaller bound is kept.
    measure: (work) => {
      const cpuBefore = process.cpuUsage();
      const wallBefore = performance.now();
      const result = work();
      const cpu = process.cpuUsage(cpuBefore);
      totalMs += Math.min(performance.now() - wallBefore, (cpu.user + cpu.system) / 1000);
      return result;
    },
    totalMs: () => totalMs,
  };
};

/**
 * Hands samples to `onSample` one call at a time, off the sampling path, so a slow sink never
 * delays a sample; failures are counted and swallowed so a broken sink never fails the run.
 */
const createDelivery = (onSample: MonitorOptions['onSample']) => {
  let delivered: Promise<void> = Promise.resolve();
  let errors = 0;
  return {
    deliver: (sample: ResourceSample): void => {
      if (onSample === undefined) return;
      delivered = delivered
        .then(() => onSample(sample))
        .catch(() => {
          errors += 1;
        });
    },
    /** Resolves once every delivered sample has been handled. */
    settled: (): Promise<void> => delivered,
    errors: (): number => errors,
  };
};

/**
 * Starts monitoring: takes the `before` sample (disk and network counts start here) and returns
 * the running monitor. The one-time GPU probe is not part of `monitorCpuMs`; the sampling is.
 */
export const startResourceMonitor = async (options: MonitorOptions = {}): Promise<ResourceMonitor> => {
  const intervalMs = checkInterval(options.intervalMs ?? DEFAULT_INTERVAL_MS);
  const gpu = await startGpuStream(options, intervalMs);
  const processCpuStart = process.cpuUsage();
  const monitorStart = performance.now();
  const sampler = createSampler(gpu);
  const series = createSeriesAccumulator();
  const cost = createCostMeter();
  const delivery = createDelivery(options.onSample);
  let timer: NodeJS.Timeout | undefined;
  let slot = 0;
  let summary: Promise<ResourceSummary> | undefined;
  let latest: ResourceSample;
  let samples = 0;

  const record = (): ResourceSample => {
    const sample = sampler.take();
    if (samples > 0) series.add(sample);
    samples += 1;
    latest = sample;
    delivery.deliver(sample);
    return sample;
  };

  // Each timeout aims at monitorStart + slot × interval, so lateness does not accumulate; after a
  // long block of the event loop the missed slots are skipped instead of fired in a burst.
  const scheduleNext = (): void => {
    const now = performance.now();
    slot = Math.max(slot + 1, Math.floor((now - monitorStart) / intervalMs) + 1);
    timer = setTimeout(onTick, monitorStart + slot * intervalMs - now);
    timer.unref();
  };
  const onTick = (): void => {
    cost.measure(() => {
      record();
      scheduleNext();
    });
  };

  const before = cost.measure(record);
  scheduleNext();

  const finish = async (): Promise<ResourceSummary> => {
    clearTimeout(timer);
    const after = cost.measure(record);
    const cpu = process.cpuUsage(processCpuStart);
    gpu?.close();
    sampler.close();
    await delivery.settled();
    const monitorCpuMs = cost.totalMs() + (gpu?.parseMs() ?? 0);
    const processCpuMs = (cpu.user + cpu.system) / 1000;
    return {
      samples,
      intervalMs,
      before,
      after,
      series: series.stats(),
      monitorCpuMs,
      processCpuMs,
      monitorCostPercent: processCpuMs > 0 ? (monitorCpuMs / processCpuMs) * 100 : 0,
      onSampleErrors: delivery.errors(),
    };
  };

  return {
    latest: () => latest,
    stop: () => {
      summary ??= finish();
      return summary;
    },
  };
};
