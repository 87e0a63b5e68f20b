/**
 * Resource charts from monitor samples: CPU percent, memory and VRAM gauges, and disk/network
 * throughput derived from the byte counters (difference over time between samples).
 */
import type { ChartOption } from '../components/EChart.js';
import { lineChart, numeric } from './common.js';

/** The sample fields these charts read. */
export interface Sample {
  readonly at: string;
  readonly cpu_process: number | null;
  readonly cpu_system: number | null;
  readonly rss_bytes: number | null;
  readonly mem_used_bytes: number | null;
  readonly gpu_util: number | null;
  readonly vram_used_bytes: number | null;
  readonly disk_read_bytes: number | null;
  readonly disk_write_bytes: number | null;
  readonly net_rx_bytes: number | null;
  readonly net_tx_bytes: number | null;
}

type CounterKey = 'disk_read_bytes' | 'disk_write_bytes' | 'net_rx_bytes' | 'net_tx_bytes';

/**
 * Bytes per second between consecutive samples of a cumulative counter. A counter that goes down
 * (process restarted) gives no point rather than a negative rate.
 */
export const counterRate = (samples: readonly Sample[], key: CounterKey): [string, number | null][] => {
  const points: [string, number | null][] = [];
  for (let i = 1; i < samples.length; i += 1) {
    const before = samples[i - 1] as Sample;
    const after = samples[i] as Sample;
    const a = numeric(before[key]);
    const b = numeric(after[key]);
    const seconds = (Date.parse(after.at) - Date.parse(before.at)) / 1000;
    points.push([after.at, a === null || b === null || seconds <= 0 || b < a ? null : (b - a) / seconds]);
  }
  return points;
};

/** Labels of the resource charts. */
export interface ResourceLabels {
  readonly cpuProcess: string;
  readonly cpuSystem: string;
  readonly rss: string;
  readonly memUsed: string;
  readonly gpu: string;
  readonly vram: string;
  readonly diskRead: string;
  readonly diskWrite: string;
  readonly netRx: string;
  readonly netTx: string;
}

const gauge = (samples: readonly Sample[], key: keyof Sample): [string, number | null][] =>
  samples.map((sample) => [sample.at, numeric(sample[key])]);

/** A GPU series, only where a GPU reported (its columns stay null on machines without one). */
const gpuSeries = (samples: readonly Sample[], key: keyof Sample, name: string) =>
  samples.some((s) => s[key] !== null) ? [{ name, data: gauge(samples, key) }] : [];

/** CPU (process and machine) and GPU utilisation in percent. */
export const cpuChart = (samples: readonly Sample[], labels: ResourceLabels): ChartOption =>
  lineChart({
    xType: 'time',
    yNames: ['%'],
    series: [
      { name: labels.cpuProcess, data: gauge(samples, 'cpu_process') },
      { name: labels.cpuSystem, data: gauge(samples, 'cpu_system') },
      ...gpuSeries(samples, 'gpu_util', labels.gpu),
    ],
  });

/** Process RSS, machine memory in use and VRAM in use. */
export const memoryChart = (
  samples: readonly Sample[],
  labels: ResourceLabels,
  bytes: (value: number) => string,
): ChartOption =>
  lineChart({
    xType: 'time',
    valueFormatter: bytes,
    series: [
      { name: labels.rss, data: gauge(samples, 'rss_bytes') },
      { name: labels.memUsed, data: gauge(samples, 'mem_used_bytes') },
      ...gpuSeries(samples, 'vram_used_bytes', labels.vram),
    ],
  });

/** Disk and network throughput. */
export const ioChart = (
  samples: readonly Sample[],
  labels: ResourceLabels,
  bytes: (value: number) => string,
): ChartOption =>
  lineChart({
    xType: 'time',
    valueFormatter: (value) => `${bytes(value)}/s`,
    series: [
      { name: labels.diskRead, data: counterRate(samples, 'disk_read_bytes') },
      { name: labels.diskWrite, data: counterRate(samples, 'disk_write_bytes') },
      { name: labels.netRx, data: counterRate(samples, 'net_rx_bytes') },
      { name: labels.netTx, data: counterRate(samples, 'net_tx_bytes') },
    ],
  });
