/**
 * GPUs: one systeminformation probe per process says which are present; NVIDIA ones are then read
 * by a single long-lived `nvidia-smi … -lms <interval>` stream, so sampling spawns no process per
 * tick. Machines without an NVIDIA GPU never start one and their GPU fields stay null.
 */
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import si from 'systeminformation';

/** A graphics controller as reported in system info. */
export interface GpuInfo {
  readonly model: string;
  readonly vendor: string;
  readonly driver: string | null;
  readonly vramBytes: number | null;
}

/** GPU usage at one moment: utilization averaged over the GPUs, memory summed over them. */
export interface GpuReading {
  readonly gpuUtil: number | null;
  readonly vramUsedBytes: number | null;
  readonly vramTotalBytes: number | null;
}

/** One line of `nvidia-smi --query-gpu=index,utilization.gpu,memory.used,memory.total`. */
export interface NvidiaSmiLine {
  readonly index: number;
  readonly util: number | null;
  readonly usedBytes: number | null;
  readonly totalBytes: number | null;
}

const MIB = 1024 * 1024;

let probe: Promise<readonly GpuInfo[]> | undefined;

/**
 * The machine's graphics controllers, probed once per process (systeminformation runs lspci and,
 * when present, nvidia-smi — tens of milliseconds, too much to repeat per run). A failed probe is
 * an empty list: the lab must run on machines where neither tool exists.
 */
export const probeGpus = (): Promise<readonly GpuInfo[]> => {
  probe ??= si.graphics().then(
    ({ controllers }) =>
      controllers.map((c) => {
        // Both in MiB; memoryTotal comes from nvidia-smi and is exact where present. 0 means unknown.
        const vramMib = c.memoryTotal ?? c.vram;
        return {
          model: c.model || c.name || 'unknown',
          vendor: c.vendor,
          driver: c.driverVersion ?? null,
          vramBytes: vramMib ? vramMib * MIB : null,
        };
      }),
    () => [],
  );
  return probe;
};

/** Whether any probed controller is an NVIDIA GPU, i.e. whether nvidia-smi can tell us its usage. */
export const hasNvidiaGpu = (gpus: readonly GpuInfo[]): boolean => gpus.some((g) => /nvidia/i.test(g.vendor));

const numberOrNull = (field: string | undefined): number | null => {
  // nvidia-smi prints "[N/A]" or "[Not Supported]" for values a GPU cannot report.
  const value = Number(field?.trim());
  return field === undefined || field.trim() === '' || !Number.isFinite(value) ? null : value;
};

/** Parses one CSV line (`noheader,nounits`: index, %, MiB, MiB); null for anything else. */
export const parseNvidiaSmiLine = (line: string): NvidiaSmiLine | null => {
  const fields = line.split(',');
  const index = numberOrNull(fields[0]);
  if (fields.length !== 4 || index === null) return null;
  const used = numberOrNull(fields[2]);
  const total = numberOrNull(fields[3]);
  return {
    index,
    util: numberOrNull(fields[1]),
    usedBytes: used === null ? null : used * MIB,
    totalBytes: total === null ? null : total * MIB,
  };
};

const sumOrNull = (values: readonly (number | null)[]): number | null => {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? null : known.reduce((a, b) => a + b, 0);
};

/** One reading for the whole machine: mean utilization, summed memory (null where no GPU reports it). */
export const combineGpuLines = (lines: readonly NvidiaSmiLine[]): GpuReading => {
  const utils = lines.map((l) => l.util).filter((u): u is number => u !== null);
  return {
    gpuUtil: utils.length === 0 ? null : utils.reduce((a, b) => a + b, 0) / utils.length,
    vramUsedBytes: sumOrNull(lines.map((l) => l.usedBytes)),
    vramTotalBytes: sumOrNull(lines.map((l) => l.totalBytes)),
  };
};

/** A running nvidia-smi stream. */
export interface GpuStream {
  /** The last reading, or null until the first one or after nvidia-smi failed. */
  latest(): GpuReading | null;
  /** Resolves at the first reading, when nvidia-smi fails, or after `waitMs`, whichever is first. */
  firstReading(waitMs: number): Promise<void>;
  /** Milliseconds this process spent parsing the stream's output. */
  parseMs(): number;
  close(): void;
}

/** Starts `nvidia-smi` printing every GPU's usage every `intervalMs`. */
export const startNvidiaSmiStream = (intervalMs: number): GpuStream => {
  const child = spawn(
    'nvidia-smi',
    [
      '--query-gpu=index,utilization.gpu,memory.used,memory.total',
      '--format=csv,noheader,nounits',
      `--loop-ms=${Math.max(1, Math.round(intervalMs))}`,
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  // Neither the child nor its pipe may keep the run's process alive once the run is done.
  child.unref();
  (child.stdout as Readable & { unref?: () => void }).unref?.();

  const byIndex = new Map<number, NvidiaSmiLine>();
  let reading: GpuReading | null = null;
  let failed = false;
  let spentMs = 0;
  let pending = '';
  let signalFirst: () => void = () => undefined;
  const first = new Promise<void>((resolve) => {
    signalFirst = resolve;
  });

  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const started = performance.now();
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const parsed = parseNvidiaSmiLine(line);
      if (parsed !== null) byIndex.set(parsed.index, parsed);
    }
    if (!failed && byIndex.size > 0) {
      reading = combineGpuLines([...byIndex.values()]);
      signalFirst();
    }
    spentMs += performance.now() - started;
  });
  const fail = (): void => {
    failed = true;
    reading = null;
    signalFirst();
  };
  child.on('error', fail);
  child.on('exit', fail);

  return {
    latest: () => reading,
    firstReading: (waitMs) =>
      Promise.race([
        first,
        new Promise<void>((resolve) => {
          setTimeout(resolve, waitMs).unref();
        }),
      ]),
    parseMs: () => spentMs,
    close: () => {
      child.removeListener('exit', fail);
      child.kill();
    },
  };
};
