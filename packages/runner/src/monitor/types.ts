/** What the resource monitor measures and reports; one sample maps to one resource-sample row. */
import type { ResourceSampleColumn } from '@nflab/store';

/**
 * One reading of the machine and this process. CPU is in percent of the whole machine (0-100, all
 * logical cores), bytes are gauges except disk and net, which count bytes since the monitor started.
 * Null means "not measurable here" (no /proc, no GPU), never zero.
 */
export interface ResourceSample {
  readonly at: Date;
  /** CPU of this process (every worker thread included) since the previous sample, % of the machine. */
  readonly cpuProcess: number;
  /** CPU of the whole machine since the previous sample, %; null without /proc/stat or before any interval. */
  readonly cpuSystem: number | null;
  readonly rssBytes: number;
  /** V8 heap in use on the main thread; worker threads have heaps of their own, counted in rssBytes. */
  readonly heapBytes: number;
  readonly memUsedBytes: number;
  readonly memTotalBytes: number;
  readonly diskReadBytes: number | null;
  readonly diskWriteBytes: number | null;
  readonly netRxBytes: number | null;
  readonly netTxBytes: number | null;
  readonly gpuUtil: number | null;
  readonly vramUsedBytes: number | null;
  readonly vramTotalBytes: number | null;
}

/** Every numeric field of a sample, i.e. every series the summary reports. */
export type SampledSeries = Exclude<keyof ResourceSample, 'at'>;

/**
 * The resource-sample column of every series. A `Record` over {@link SampledSeries}, so a field
 * added to the sample fails to compile until it has a column here.
 */
export const SERIES_COLUMNS: Readonly<Record<SampledSeries, ResourceSampleColumn>> = {
  cpuProcess: 'cpu_process',
  cpuSystem: 'cpu_system',
  rssBytes: 'rss_bytes',
  heapBytes: 'heap_bytes',
  memUsedBytes: 'mem_used_bytes',
  memTotalBytes: 'mem_total_bytes',
  diskReadBytes: 'disk_read_bytes',
  diskWriteBytes: 'disk_write_bytes',
  netRxBytes: 'net_rx_bytes',
  netTxBytes: 'net_tx_bytes',
  gpuUtil: 'gpu_util',
  vramUsedBytes: 'vram_used_bytes',
  vramTotalBytes: 'vram_total_bytes',
};

/** Every series, in column order. */
export const SAMPLED_SERIES = Object.keys(SERIES_COLUMNS) as readonly SampledSeries[];

/** Peak and mean of one series over the non-null values; both null when every value was null. */
export interface SeriesStats {
  readonly peak: number | null;
  readonly mean: number | null;
}

/** What a run used, as stored in the run row's resource_summary. */
export interface ResourceSummary {
  /** Samples taken, `before` and `after` included. */
  readonly samples: number;
  readonly intervalMs: number;
  readonly before: ResourceSample;
  readonly after: ResourceSample;
  /**
   * Peak and mean over the samples taken during the run (the ticks and `after`). `before` is left
   * out: it describes the moment the run began, and its process CPU covers the process's whole
   * life until then (there is no earlier sample), which would pass for a peak of the run.
   */
  readonly series: Readonly<Record<SampledSeries, SeriesStats>>;
  /** CPU the monitor's own sampling took: an upper bound, the lesser of its wall time and the process's CPU meanwhile. */
  readonly monitorCpuMs: number;
  /** CPU of the whole process, worker threads included, from start to stop. */
  readonly processCpuMs: number;
  /** monitorCpuMs / processCpuMs × 100; 0 when the process used no CPU at all. */
  readonly monitorCostPercent: number;
  /** How many `onSample` calls threw or rejected (they are swallowed so the run goes on). */
  readonly onSampleErrors: number;
}

/** Options of {@link startResourceMonitor}. */
export interface MonitorOptions {
  /**
   * Milliseconds between samples.
   * @default 1000
   */
  readonly intervalMs?: number;
  /** Called with every sample, `before` and `after` included, one call at a time; errors are counted, never thrown. */
  readonly onSample?: (sample: ResourceSample) => void | Promise<void>;
  /**
   * `auto` probes for GPUs once per process (systeminformation) and reads NVIDIA ones through one
   * long-lived `nvidia-smi` stream; with none found the GPU fields stay null and nothing is probed again.
   * @default 'auto'
   */
  readonly gpu?: 'auto' | 'off';
}

/** A running monitor. */
export interface ResourceMonitor {
  /** The most recent sample (the `before` sample until the first tick). */
  latest(): ResourceSample;
  /**
   * Stops the timer, takes the `after` sample, closes the /proc files and the nvidia-smi stream it
   * holds, waits for pending `onSample` calls and summarizes. Idempotent.
   */
  stop(): Promise<ResourceSummary>;
}
