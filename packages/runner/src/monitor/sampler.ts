/**
 * Turns the process's and the machine's counters into {@link ResourceSample}s. Everything here is
 * synchronous and spawns nothing: Node's own counters plus three small /proc reads per sample.
 */
import { cpus, freemem, totalmem } from 'node:os';
import type { GpuStream } from './gpu.js';
import { openCpuTimes, openNetCounters, openProcessIo, type CpuTimes } from './proc-files.js';
import type { ResourceSample } from './types.js';

/** Takes samples; counters and rates continue from the previous one. */
export interface Sampler {
  take(): ResourceSample;
  /** Closes the /proc files it holds open. */
  close(): void;
}

// Counters that restart (an interface going down and up) must not turn into negative byte counts.
const since = (now: number, start: number): number => Math.max(0, now - start);

/**
 * A sampler whose disk and network counts start now. Rates (CPU) cover the time since the previous
 * sample; the first sample's process CPU covers the time since the process started and its system
 * CPU is null, because no interval has been observed yet.
 */
export const createSampler = (gpu: GpuStream | null): Sampler => {
  const logicalCores = cpus().length;
  const processIo = openProcessIo();
  const cpuTimesFile = openCpuTimes();
  const netCounters = openNetCounters();
  const ioStart = processIo.read();
  const netStart = netCounters.read();
  // performance.now() counts from the process's start (in worker threads too), where
  // process.cpuUsage() counts from zero.
  let previousWallMs = 0;
  let previousCpuMicros = 0;
  let previousCpuTimes: CpuTimes | null = null;
  let latestCpuSystem: number | null = null;

  // Machine CPU % since the previous reading. /proc/stat counts in clock ticks (10 ms), so two
  // samples inside one tick (the stop sample right after an interval one) see no time pass: the
  // latest measured rate stands, and the next delta spans from the older reading. A source that
  // was unreadable at the start stays null: a delta needs both ends.
  const systemCpu = (cpuTimes: CpuTimes | null): number | null => {
    if (cpuTimes === null || previousCpuTimes === null) {
      previousCpuTimes = cpuTimes;
      return null;
    }
    const ticks = cpuTimes.total - previousCpuTimes.total;
    if (ticks <= 0) return latestCpuSystem;
    latestCpuSystem = ((cpuTimes.busy - previousCpuTimes.busy) / ticks) * 100;
    previousCpuTimes = cpuTimes;
    return latestCpuSystem;
  };

  const take = (): ResourceSample => {
    const nowMs = performance.now();
    const cpu = process.cpuUsage();
    const cpuMicros = cpu.user + cpu.system;
    const wallMs = Math.max(nowMs - previousWallMs, 1e-3);
    // process.cpuUsage() sums every thread of the process, worker_threads included; dividing by
    // the logical cores makes it a share of the whole machine, like cpu_system.
    const cpuProcess = ((cpuMicros - previousCpuMicros) / 1000 / wallMs / logicalCores) * 100;
    previousWallMs = nowMs;
    previousCpuMicros = cpuMicros;

    const cpuSystem = systemCpu(cpuTimesFile.read());
    const io = ioStart && processIo.read();
    const net = netStart && netCounters.read();
    const gpuReading = gpu?.latest() ?? null;
    const memory = process.memoryUsage();
    const memTotalBytes = totalmem();

    return {
      at: new Date(),
      cpuProcess,
      cpuSystem,
      rssBytes: memory.rss,
      heapBytes: memory.heapUsed,
      // os.freemem() is MemAvailable on Linux (reclaimable cache counts as free), so this is what
      // the machine cannot hand out any more.
      memUsedBytes: memTotalBytes - freemem(),
      memTotalBytes,
      diskReadBytes: io && ioStart ? since(io.readBytes, ioStart.readBytes) : null,
      diskWriteBytes: io && ioStart ? since(io.writeBytes, ioStart.writeBytes) : null,
      netRxBytes: net && netStart ? since(net.rxBytes, netStart.rxBytes) : null,
      netTxBytes: net && netStart ? since(net.txBytes, netStart.txBytes) : null,
      gpuUtil: gpuReading?.gpuUtil ?? null,
      vramUsedBytes: gpuReading?.vramUsedBytes ?? null,
      vramTotalBytes: gpuReading?.vramTotalBytes ?? null,
    };
  };

  return {
    take,
    close: () => {
      for (const file of [processIo, cpuTimesFile, netCounters]) file.close();
    },
  };
};
