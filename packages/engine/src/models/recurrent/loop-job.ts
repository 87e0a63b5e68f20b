/**
 * What the row split's two threads share besides the memory (split-loops.ts, the main thread;
 * split-loop-worker.ts, the worker): a control block — a SharedArrayBuffer of a few Int32 slots
 * for Atomics.wait/notify and the current job (or error) as JSON after them — and the job's shape.
 * A job is posted a few times per training step, so JSON's microseconds do not matter.
 */
import type { FusedKind, SequenceDims } from './fused-loops.js';
import type { BackwardPointers, ForwardPointers } from './simd-loops.js';

/** W_hh [P, G·H] in the shared memory: its byte offset and shape. */
export interface SharedWeight {
  readonly at: number;
  readonly height: number;
  readonly width: number;
}

interface JobOf<Direction extends string, Pointers> {
  readonly direction: Direction;
  readonly kind: FusedKind;
  /** The worker's window: `batch` rows, packed. */
  readonly dims: SequenceDims;
  /** Byte offsets in the shared memory. */
  readonly at: Pointers;
  readonly weight: SharedWeight;
}

/** One time loop over the worker's rows, forward or backward (BPTT). */
export type LoopJob = JobOf<'forward', ForwardPointers> | JobOf<'backward', BackwardPointers>;

/** Int32 slots of the control block. */
export const Slot = { state: 0, readiness: 1, messageBytes: 2 } as const;

/** The job slot's states: the main thread moves idle → posted, the worker posted → done or failed. */
export const JobState = { idle: 0, posted: 1, done: 2, failed: 3 } as const;

/** The readiness slot: the worker sets it once, after loading OpenBLAS and the kernels (or failing to). */
export const Readiness = { starting: 0, ready: 1, unavailable: 2 } as const;

const HEADER_BYTES = 16;
const MESSAGE_CAPACITY = 64 * 1024;

/** A new control block, every slot 0 (idle, starting). */
export const createControl = (): SharedArrayBuffer => new SharedArrayBuffer(HEADER_BYTES + MESSAGE_CAPACITY);

/** Writes `value` as the block's message (the job, or the worker's error). */
export function writeMessage(control: SharedArrayBuffer, value: unknown): void {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  if (bytes.length > MESSAGE_CAPACITY)
    throw new Error(`loop job message of ${bytes.length} bytes is too long`);
  new Uint8Array(control, HEADER_BYTES).set(bytes);
  Atomics.store(new Int32Array(control), Slot.messageBytes, bytes.length);
}

/** The block's message. */
export function readMessage<T>(control: SharedArrayBuffer): T {
  const length = Atomics.load(new Int32Array(control), Slot.messageBytes);
  // TextDecoder does not read views of shared memory: copy the bytes out first.
  const bytes = new Uint8Array(control, HEADER_BYTES, length).slice();
  return JSON.parse(new TextDecoder().decode(bytes)) as T;
}
