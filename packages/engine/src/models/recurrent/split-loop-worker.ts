/**
 * The row split's worker thread (split-loops.ts): runs the second half of a batch's recurrent time
 * loop in a memory it shares with the main thread, with the same SIMD step kernels and OpenBLAS
 * products, while the main thread runs the first half. It loads OpenBLAS without touching its
 * thread count (that is process-wide; the main thread holds it at 1 while both halves run), then
 * serves jobs until the process ends: wait for `posted`, run, set `done` (or `failed` with the
 * error), notify.
 */
import { workerData } from 'node:worker_threads';
import { sharedMemoryRecurrentKernels } from '../../backend/simd/wasm-simd.js';
import type { RecurrentStepKernels } from '../../backend/simd/wasm-simd.js';
import { loadOpenBlas, type Sgemm } from '../../native/openblas.js';
import { JobState, Readiness, readMessage, Slot, writeMessage, type LoopJob } from './loop-job.js';
import { sgemmProduct } from './sgemm-product.js';
import { backwardLoopSimd, forwardLoopSimd } from './simd-loops.js';

const { control, memory, library } = workerData as {
  control: SharedArrayBuffer;
  memory: { readonly buffer: SharedArrayBuffer };
  library: string;
};
const slots = new Int32Array(control);

const errorText = (cause: unknown): string =>
  cause instanceof Error ? (cause.stack ?? cause.message) : String(cause);

/** One job over the memory as it is now (the main thread grows it only between jobs). */
function run(job: LoopJob, kernels: RecurrentStepKernels, sgemm: Sgemm): void {
  const heap = new Float32Array(memory.buffer);
  const { at, height, width } = job.weight;
  const weight = { view: () => heap.subarray(at >>> 2, (at >>> 2) + height * width), height, width };
  const products = { recurrent: sgemmProduct(sgemm, weight, job.dims.batch, job.direction === 'backward') };
  if (job.direction === 'forward')
    forwardLoopSimd(job.kind, job.dims, products, { heap: () => heap, at: job.at }, kernels);
  else backwardLoopSimd(job.kind, job.dims, products, { heap: () => heap, at: job.at }, kernels);
}

function serve(kernels: RecurrentStepKernels, sgemm: Sgemm): never {
  for (;;) {
    const state = Atomics.load(slots, Slot.state);
    if (state !== JobState.posted) {
      Atomics.wait(slots, Slot.state, state);
      continue;
    }
    try {
      run(readMessage<LoopJob>(control), kernels, sgemm);
      Atomics.store(slots, Slot.state, JobState.done);
    } catch (cause) {
      writeMessage(control, errorText(cause));
      Atomics.store(slots, Slot.state, JobState.failed);
    }
    Atomics.notify(slots, Slot.state);
  }
}

let ready: { kernels: RecurrentStepKernels; sgemm: Sgemm } | null = null;
try {
  const kernels = sharedMemoryRecurrentKernels(memory);
  if (kernels === null) throw new Error('this WebAssembly engine lacks SIMD, bulk memory or threads');
  const blas = loadOpenBlas({ threads: null, coreType: null, forceCoreType: false, libraries: [library] });
  ready = { kernels, sgemm: blas.sgemm };
  Atomics.store(slots, Slot.readiness, Readiness.ready);
} catch (cause) {
  writeMessage(control, errorText(cause));
  Atomics.store(slots, Slot.readiness, Readiness.unavailable);
}
Atomics.notify(slots, Slot.readiness);
if (ready) serve(ready.kernels, ready.sgemm);
