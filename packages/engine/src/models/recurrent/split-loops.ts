/**
 * The row split: the SIMD time loops (simd-loops.ts) run an even batch as two windows of half its
 * rows, the second on a worker thread (split-loop-worker.ts) while this thread runs the first.
 *
 * Why: a recurrent layer's loop is T steps of a small product and a gate pass, strictly in order —
 * OpenBLAS' second thread does not pay on a [128, 128]·[128, 512] product (waking it costs what it
 * saves), so the loops, the bulk of an LSTM's training step, ran on one core of two. Batch rows never
 * mix in a recurrent layer, so two windows of rows are two independent loops: each core runs one,
 * and the step's loops take about half the time.
 *
 * Results never depend on whether the worker ran: the windows are a function of the batch size
 * alone, and where no worker serves (one BLAS thread, as trials in parallel workers have; cpu;
 * while it starts; a small loop) this thread runs both windows one after the other — the same
 * products over the same rows (OpenBLAS rounds a row differently in products of different heights,
 * so a split must never depend on timing or threads).
 *
 * The worker cannot read the wasm backend's memory (not shared), so its rows go through a shared
 * `WebAssembly.Memory`: this thread gathers them there (and W_hh, b_hh) before posting the job and
 * scatters its outputs back after — about a tenth of the loop's time, on this thread.
 */
import { spawnEngineWorker, workerEntryUrl } from '../../backend/spawn-worker.js';
import { nativeMatmulStatus } from '../../native/enable.js';
import type { FusedKind, SequenceDims } from './fused-loops.js';
import {
  createControl,
  JobState,
  Readiness,
  readMessage,
  Slot,
  writeMessage,
  type LoopJob,
  type SharedWeight,
} from './loop-job.js';
import { copyRows, rowBlocks, windowPointers, type RowTable } from './loop-rows.js';
import type { LoopMemory } from './simd-loops.js';

/** The smallest window: below 16 rows a batch runs whole. */
const MIN_WINDOW_ROWS = 8;

/** Rows of each window when a loop over `batch` rows runs as two (even batches of 16 and more), else 0. */
export const windowRows = (batch: number): number =>
  batch % 2 === 0 && batch >= 2 * MIN_WINDOW_ROWS ? batch / 2 : 0;

/**
 * Multiply-adds of a loop's products (steps · batch · P · G·H) from which its second window goes to
 * the worker: below, copying the rows and waking the worker cost more than the parallel loop saves.
 */
export const WORKER_MIN_MACS = 2 ** 22;

let workerMinMacs = WORKER_MIN_MACS;
let workerAllowed = true;

/**
 * Lets the worker run second windows (default) or not, and sets the loop size from which it does
 * (without an argument, back to {@link WORKER_MIN_MACS}) — for A/B runs and tests.
 */
export const setLoopWorker = (allowed: boolean, minMacs: number = WORKER_MIN_MACS): void => {
  workerAllowed = allowed;
  workerMinMacs = minMacs;
};

/** How long this thread waits for a job before calling the worker lost. */
const JOB_TIMEOUT_MS = 120_000;
const PAGE_BYTES = 65_536;
/** The shared memory's largest size (2 GiB): offsets stay below 2^31. */
const MAX_PAGES = 32_767;

interface WorkerLike {
  unref(): void;
  on(event: 'error' | 'exit', listener: () => void): unknown;
}

/** The worker thread and what it shares with this one. */
class LoopWorker {
  private readonly slots: Int32Array;
  private lost = false;

  constructor(
    private readonly control: SharedArrayBuffer,
    readonly memory: { readonly buffer: SharedArrayBuffer; grow(pages: number): number },
    worker: WorkerLike,
  ) {
    this.slots = new Int32Array(control);
    worker.unref();
    const lose = (): void => {
      this.lost = true;
    };
    worker.on('error', lose);
    worker.on('exit', lose);
  }

  /** Whether it has loaded and not failed; false while it starts. */
  ready(): boolean {
    return !this.lost && Atomics.load(this.slots, Slot.readiness) === Readiness.ready;
  }

  /** Whether it is gone or could not load (it never will be ready). */
  failed(): boolean {
    return this.lost || Atomics.load(this.slots, Slot.readiness) === Readiness.unavailable;
  }

  /** The shared memory as floats, at least `bytes` long. */
  heap(bytes: number): Float32Array {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) {
      const pages = Math.ceil((bytes - have) / PAGE_BYTES);
      if (have / PAGE_BYTES + pages > MAX_PAGES)
        throw new Error(`recurrent loop of ${bytes} bytes is too large to split`);
      this.memory.grow(pages);
    }
    return new Float32Array(this.memory.buffer);
  }

  post(job: LoopJob): void {
    writeMessage(this.control, job);
    Atomics.store(this.slots, Slot.state, JobState.posted);
    Atomics.notify(this.slots, Slot.state);
  }

  /** Waits for the posted job; throws the worker's error when it failed. */
  finish(): void {
    while (Atomics.load(this.slots, Slot.state) === JobState.posted) {
      if (Atomics.wait(this.slots, Slot.state, JobState.posted, JOB_TIMEOUT_MS) === 'timed-out') {
        this.lost = true;
        throw new Error(`the recurrent loop worker did not finish a job in ${JOB_TIMEOUT_MS / 1000} s`);
      }
    }
    const failed = Atomics.load(this.slots, Slot.state) === JobState.failed;
    Atomics.store(this.slots, Slot.state, JobState.idle);
    if (failed) throw new Error(`recurrent loop worker: ${readMessage<string>(this.control)}`);
  }
}

/** Second windows run so far, on the worker and on the calling thread (benches and tests read them). */
const counts = { onWorker: 0, here: 0 };

/** How many second windows ran on the worker and how many on the calling thread, since start. */
export const splitLoopCounts = (): Readonly<typeof counts> => ({ ...counts });

/** The process's worker: undefined until first wanted, null where none can serve. */
let loopWorker: LoopWorker | null | undefined;

/**
 * The OpenBLAS library the worker binds (the one this thread loaded), when a worker may serve: the
 * native path is on for wasm with two or more BLAS threads — the process owns that many cores.
 * Trials running in parallel workers get one thread each, and their loops stay on their own thread.
 */
function workerLibrary(): string | null {
  const status = nativeMatmulStatus();
  if (!status?.backends.includes('wasm') || (status.threads ?? 1) < 2) return null;
  return status.library;
}

/**
 * The worker when it is ready to take a loop of `macs` multiply-adds; starts it on the first call
 * (it is ready some hundred milliseconds later; until then this thread runs both windows).
 */
function readyWorker(macs: number): LoopWorker | null {
  if (!workerAllowed || macs < workerMinMacs) return null;
  const library = workerLibrary();
  if (library === null) return null;
  if (loopWorker === undefined) {
    try {
      const control = createControl();
      const { Memory } = (
        globalThis as unknown as { WebAssembly: { Memory: new (d: object) => LoopWorker['memory'] } }
      ).WebAssembly;
      const memory = new Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
      const entry = workerEntryUrl('split-loop-worker', import.meta.url);
      loopWorker = new LoopWorker(
        control,
        memory,
        spawnEngineWorker(entry, { workerData: { control, memory, library } }),
      );
    } catch {
      loopWorker = null; // no shared memory or threads here: the windows run on this thread
    }
  }
  return loopWorker?.ready() ? loopWorker : null;
}

/** A loop over a whole batch, in the wasm backend's memory, and how to run one window of it here. */
export interface SplitLoop<Pointers extends object> {
  readonly direction: LoopJob['direction'];
  readonly kind: FusedKind;
  /** The whole batch's sizes. */
  readonly dims: SequenceDims;
  readonly table: RowTable;
  readonly memory: LoopMemory<Pointers>;
  /** W_hh [P, G·H]: byte offset in the heap and shape. */
  readonly weight: SharedWeight;
  /** b_hh's byte offset in the heap (forward; 0 without it). */
  readonly bias: number;
  /** Rows of each of the two windows ({@link windowRows}), or 0 to run the batch whole. */
  readonly half: number;
  /** Runs the loop over a window of `dims.batch` rows whose pointers are `memory.at`. */
  readonly runHere: (dims: SequenceDims, memory: LoopMemory<Pointers>) => void;
}

/** Bump-allocates the worker's tensors in the shared memory (byte offsets, 64-byte aligned, never 0). */
class SharedLayout {
  bytes = 64;
  take(floats: number): number {
    const at = this.bytes;
    this.bytes += Math.ceil((floats * 4) / 64) * 64;
    return at;
  }
}

/**
 * Where the worker's window of each per-row tensor goes in the shared memory: one packed region per
 * distinct tensor (dRecurrent may be dx itself, hFull y), one per scratch; absent tensors none.
 */
function windowRegions<P extends object>(
  loop: SplitLoop<P>,
  windowDims: SequenceDims,
  layout: SharedLayout,
): Record<string, number> {
  const at = loop.memory.at as Record<string, number>;
  const regions: Record<string, number> = {};
  const bySource = new Map<number, number>();
  for (const [name, field] of Object.entries(loop.table)) {
    const source = at[name] ?? 0;
    if (source === 0) continue;
    const shared = field.direction === 'scratch' ? undefined : bySource.get(source);
    const { blocks, rows, width } = rowBlocks(field, loop.kind, windowDims);
    regions[name] = shared ?? layout.take(blocks * rows * width);
    if (field.direction !== 'scratch') bySource.set(source, regions[name]);
  }
  return regions;
}

/**
 * Gathers the rows of `window` the loop reads from the backend's heap into their regions, or
 * scatters the rows it wrote back — each distinct tensor once.
 */
function copyWindow<P extends object>(
  direction: 'gather' | 'scatter',
  loop: SplitLoop<P>,
  window: { readonly first: number; readonly count: number },
  heaps: { readonly backend: Float32Array; readonly shared: Float32Array },
  regions: Record<string, number>,
): void {
  const at = loop.memory.at as Record<string, number>;
  const moving = direction === 'gather' ? 'read' : 'written';
  const done = new Set<number>();
  for (const [name, field] of Object.entries(loop.table)) {
    const region = regions[name];
    if (region === undefined || field.direction !== moving || done.has(region)) continue;
    done.add(region);
    const whole = { heap: heaps.backend, at: at[name]! >>> 2 };
    const packed = { heap: heaps.shared, at: region >>> 2 };
    copyRows(direction, rowBlocks(field, loop.kind, loop.dims), window, whole, packed);
  }
}

/** Copies `floats` floats at byte offset `from` of one heap to byte offset `to` of another. */
const copyWhole = (from: Float32Array, at: number, to: Float32Array, toAt: number, floats: number): void =>
  to.set(from.subarray(at >>> 2, (at >>> 2) + floats), toAt >>> 2);

/**
 * Runs the loop's first window here while `worker` runs the second on a packed copy of its rows in
 * the shared memory (with W_hh and b_hh), then scatters the second window's outputs back.
 */
function runWithWorker<Pointers extends object>(
  loop: SplitLoop<Pointers>,
  worker: LoopWorker,
  first: LoopMemory<Pointers>,
  windowDims: SequenceDims,
): void {
  const { height, width } = loop.weight;
  const layout = new SharedLayout();
  const regions = windowRegions(loop, windowDims, layout);
  const weightAt = layout.take(height * width);
  const biasAt = loop.bias ? layout.take(width) : 0;
  const shared = worker.heap(layout.bytes);
  const backend = loop.memory.heap();
  copyWhole(backend, loop.weight.at, shared, weightAt, height * width);
  if (loop.bias) copyWhole(backend, loop.bias, shared, biasAt, width);
  const window = { first: windowDims.batch, count: windowDims.batch };
  copyWindow('gather', loop, window, { backend, shared }, regions);
  const names = Object.keys(loop.memory.at);
  const pointers = Object.fromEntries(names.map((name) => [name, regions[name] ?? 0]));
  if ('bias' in loop.memory.at) pointers.bias = biasAt;
  // The window's pointers have the loop's own keys, so they fit its direction's job.
  const job = { direction: loop.direction, kind: loop.kind, dims: windowDims, at: pointers as Pointers };
  worker.post({ ...job, weight: { at: weightAt, height, width } } as unknown as LoopJob);
  try {
    loop.runHere(windowDims, first);
  } finally {
    worker.finish();
  }
  copyWindow('scatter', loop, window, { backend: loop.memory.heap(), shared }, regions);
  counts.onWorker += 1;
}

/**
 * Runs `loop` whole, or as two windows of half its rows — the second on the worker when one is
 * ready (started here on first use where one may serve), else here after the first.
 */
export function runInWindows<Pointers extends object>(loop: SplitLoop<Pointers>): void {
  const { kind, dims, table, memory, half } = loop;
  if (half === 0) {
    loop.runHere(dims, memory);
    return;
  }
  if (half * 2 !== dims.batch) throw new Error(`a batch of ${dims.batch} rows has no windows of ${half}`);
  const windowDims = { ...dims, batch: half };
  const first = { heap: memory.heap, at: memory.at, tensorRows: dims.batch };
  const worker = readyWorker(dims.steps * dims.batch * loop.weight.height * loop.weight.width);
  if (worker !== null) {
    runWithWorker(loop, worker, first, windowDims);
    return;
  }
  const second = { ...first, at: windowPointers(memory.at, table, kind, dims, half) };
  loop.runHere(windowDims, first);
  loop.runHere(windowDims, second);
  counts.here += 1;
}

/**
 * Starts the worker where one may serve and resolves once it is ready (true) or cannot serve
 * (false) — so a bench or test can have it running before it measures or compares.
 */
export async function startLoopWorker(): Promise<boolean> {
  if (readyWorker(Number.POSITIVE_INFINITY) !== null) return true;
  for (;;) {
    if (!loopWorker || loopWorker.failed()) return false;
    if (loopWorker.ready()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
