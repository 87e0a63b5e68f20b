/**
 * The profile scripts' shared report: a `tf.profile` of one or more training steps printed as time
 * and calls per kernel name, per step, and with `--shapes` the slowest single calls with their input
 * shapes — where a step's time goes, and so what to speed up next.
 */
import type * as tf from '@tensorflow/tfjs-core';

type ProfileInfo = Awaited<ReturnType<typeof tf.profile>>;

/** Options of {@link printKernelReport}. */
export interface KernelReportOptions {
  /** How many training steps the profile covers; figures are per step. @default 1 */
  readonly steps?: number;
  /** Kernel names listed, slowest first. @default 30 */
  readonly top?: number;
  /** Also list the slowest single calls with their input shapes. @default false */
  readonly shapes?: boolean;
  /** Also list time and calls per step by kernel name and input shapes, largest first. @default false */
  readonly shapeTotals?: boolean;
  /** Said after "kernels per step", e.g. what the profiled steps included. */
  readonly label?: string;
}

/**
 * Makes `tf.profile` time each kernel by the process' CPU time instead of the wall clock, so a
 * profile on a loaded machine shows what kernels cost rather than when the scheduler ran them (only
 * meaningful with one BLAS thread: BLAS worker threads would bill their time to whichever kernel
 * the main thread was in).
 */
export function timeKernelsByCpu(backend: tf.KernelBackend): void {
  backend.time = (f) => {
    const c0 = process.cpuUsage();
    f();
    const c = process.cpuUsage(c0);
    return Promise.resolve({ kernelMs: (c.user + c.system) / 1000, wallMs: 0 } as tf.TimingInfo);
  };
}

export function printKernelReport(info: ProfileInfo, options: KernelReportOptions = {}): void {
  const steps = options.steps ?? 1;
  const byName = new Map<string, { ms: number; n: number }>();
  for (const kernel of info.kernels) {
    const entry = byName.get(kernel.name) ?? { ms: 0, n: 0 };
    entry.ms += Number(kernel.kernelTimeMs);
    entry.n += 1;
    byName.set(kernel.name, entry);
  }
  const total = [...byName.values()].reduce((sum, entry) => sum + entry.ms, 0);
  console.log(
    `kernels per step${options.label ? ` (${options.label})` : ''}: ${(info.kernels.length / steps).toFixed(0)} calls, ${(total / steps).toFixed(1)} ms`,
  );
  for (const [name, entry] of [...byName].sort((a, b) => b[1].ms - a[1].ms).slice(0, options.top ?? 30))
    console.log(
      `  ${name.padEnd(28)} ${(entry.ms / steps).toFixed(2).padStart(8)} ms ${(entry.n / steps).toFixed(1).padStart(7)} calls`,
    );
  if (options.shapeTotals) {
    const byShape = new Map<string, { ms: number; n: number }>();
    for (const kernel of info.kernels) {
      const key = `${kernel.name} ${JSON.stringify(kernel.inputShapes)}`;
      const entry = byShape.get(key) ?? { ms: 0, n: 0 };
      entry.ms += Number(kernel.kernelTimeMs);
      entry.n += 1;
      byShape.set(key, entry);
    }
    for (const [key, entry] of [...byShape].sort((a, b) => b[1].ms - a[1].ms).slice(0, 60))
      console.log(
        `  ${(entry.ms / steps).toFixed(2).padStart(8)} ms ${(entry.n / steps).toFixed(1).padStart(5)}× ${key}`,
      );
  }
  if (!options.shapes) return;
  const slowest = [...info.kernels]
    .sort((a, b) => Number(b.kernelTimeMs) - Number(a.kernelTimeMs))
    .slice(0, 40);
  for (const kernel of slowest)
    console.log(
      `  ${kernel.name} ${Number(kernel.kernelTimeMs).toFixed(2)} ${JSON.stringify(kernel.inputShapes)}`,
    );
}
