/**
 * The row split of the fused recurrent loops (split-loops.ts): an even batch of 16 rows and more
 * runs as two windows, the second on a worker thread where one serves. The windows' bookkeeping by
 * hand (which rows a window's pointers and copies reach), then the op end to end: outputs and
 * gradients with the second window on the worker are bit-identical to both windows on this thread,
 * and both agree with the JavaScript loops over the whole batch at once.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { disableNativeMatmul, enableNativeMatmul } from '../src/native/index.js';
import type { FusedKind } from '../src/models/recurrent/fused-loops.js';
import {
  fusedSequence,
  fusedSequenceWithState,
  setFusedSimdLoops,
} from '../src/models/recurrent/fused-sequence.js';
import { copyRows, FORWARD_ROWS, rowBlocks, windowPointers } from '../src/models/recurrent/loop-rows.js';
import type { ForwardPointers } from '../src/models/recurrent/simd-loops.js';
import {
  setLoopWorker,
  splitLoopCounts,
  startLoopWorker,
  windowRows,
} from '../src/models/recurrent/split-loops.js';
import { relativeError, seeded } from './models-recurrent-fixtures.js';

describe('the windows of a batch', () => {
  it('splits even batches of 16 rows and more in halves, and nothing else', () => {
    expect([16, 18, 128, 1024].map(windowRows)).toEqual([8, 9, 64, 512]);
    expect([1, 2, 14, 15, 17, 127].map(windowRows)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("moves each per-row pointer to the window's first row, and leaves absent ones and scratch alone", () => {
    // LSTM, B 4, T 3, H 2 (G·H 8, A·H 12), batch-first: row b of x starts b·T·8 floats in.
    const dims = { batch: 4, steps: 3, hidden: 2 };
    const at: ForwardPointers = {
      x: 1000,
      bias: 50,
      y: 2000,
      aux: 3000,
      hFull: 2000,
      h0: 0,
      c0: 4000,
      recurrent: 5000,
      projected: 0,
    };
    const moved = windowPointers(at, FORWARD_ROWS, 'lstm', dims, 2);
    expect(moved).toEqual({
      x: 1000 + 2 * 3 * 8 * 4,
      bias: 50,
      y: 2000 + 2 * 3 * 2 * 4,
      aux: 3000 + 2 * 12 * 4, // time-major: within each step's block
      hFull: 2000 + 2 * 3 * 2 * 4,
      h0: 0,
      c0: 4000 + 2 * 2 * 4,
      recurrent: 5000,
      projected: 0,
    });
    // Time-major, x's rows are one G·H apart within each step.
    expect(windowPointers(at, FORWARD_ROWS, 'lstm', { ...dims, timeMajor: true }, 2).x).toBe(
      1000 + 2 * 8 * 4,
    );
  });

  it('gathers a window of rows from every block and scatters it back in place', () => {
    // A [T 2, B 3, W 2] tensor: value = 100·t + 10·b + w.
    const whole = Float32Array.from(
      { length: 12 },
      (_, i) => 100 * Math.floor(i / 6) + 10 * (Math.floor(i / 2) % 3) + (i % 2),
    );
    const layout = rowBlocks({ layout: 'aux', width: 'hidden', direction: 'read' }, 'tanh', {
      batch: 3,
      steps: 2,
      hidden: 2,
    });
    expect(layout).toEqual({ blocks: 2, rows: 3, width: 2 });
    const packed = new Float32Array(3 + 8); // placed 3 floats in
    copyRows('gather', layout, { first: 1, count: 2 }, { heap: whole, at: 0 }, { heap: packed, at: 3 });
    expect([...packed]).toEqual([0, 0, 0, 10, 11, 20, 21, 110, 111, 120, 121]);
    const back = new Float32Array(12);
    copyRows('scatter', layout, { first: 1, count: 2 }, { heap: back, at: 0 }, { heap: packed, at: 3 });
    expect([...back]).toEqual([0, 0, 10, 11, 20, 21, 0, 0, 110, 111, 120, 121]);
  });
});

const B = 16;
const T = 5;
const H = 8;

interface Case {
  readonly kind: FusedKind;
  readonly timeMajor: boolean;
  readonly initial: boolean;
}
const cases: Case[] = [
  ...(['tanh', 'relu', 'lstm', 'gru'] as const).flatMap((kind) =>
    [false, true].map((timeMajor) => ({ kind, timeMajor, initial: false })),
  ),
  { kind: 'lstm', timeMajor: false, initial: true },
  { kind: 'gru', timeMajor: false, initial: true },
];

const GATES: Record<FusedKind, number> = { tanh: 1, relu: 1, lstm: 4, gru: 3 };

/** The op's outputs and every gradient (x, W_hh, b_hh, and h_0, c_0 with a state), as arrays. */
function run({ kind, timeMajor, initial }: Case): Float32Array[] {
  return tf.tidy(() => {
    const width = GATES[kind] * H;
    const x = seeded(timeMajor ? [T, B, width] : [B, T, width], 3) as tf.Tensor3D;
    const weightHh = tf.mul(seeded([H, width], 4), 0.4) as tf.Tensor2D;
    const biasHh = seeded([width], 5) as tf.Tensor1D;
    const h0 = seeded([B, H], 6) as tf.Tensor2D;
    const c0 = seeded([B, H], 7) as tf.Tensor2D;
    const inputs = [x, weightHh, biasHh, ...(initial ? [h0, ...(kind === 'lstm' ? [c0] : [])] : [])];
    const forward = (...p: tf.Tensor[]): tf.Tensor => {
      const [xs, w, b, hs, cs] = p as [tf.Tensor3D, tf.Tensor2D, tf.Tensor1D, tf.Tensor2D?, tf.Tensor2D?];
      if (!initial) {
        const y = fusedSequence(kind, xs, { weightHh: w, biasHh: b }, { timeMajor });
        if (!y) throw new Error('no fused op on this backend');
        return y;
      }
      const out = fusedSequenceWithState(
        kind as 'lstm' | 'gru',
        xs,
        { weightHh: w, biasHh: b },
        { h: hs!, c: cs },
      );
      if (!out) throw new Error('no fused op on this backend');
      return tf.concat([tf.reshape(out.outputs, [B, -1]), out.final.h, ...(out.final.c ? [out.final.c] : [])], 1);
    };
    const y = forward(...inputs);
    const weights = seeded(y.shape, 8);
    const grads = tf.grads((...p: tf.Tensor[]) => tf.sum(tf.mul(forward(...p), weights)))(inputs);
    return [y, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

describe('the fused op with its rows in two windows (wasm, OpenBLAS)', () => {
  let native = false;
  beforeAll(async () => {
    await setBackend('wasm');
    disableNativeMatmul();
    native = enableNativeMatmul({ threads: 2 }).enabled;
    setLoopWorker(true, 0);
  });
  afterAll(() => {
    setLoopWorker(true);
    setFusedSimdLoops(true);
  });

  it.each(cases)(
    '$kind (time-major $timeMajor, initial state $initial): the worker window is bit-identical to this thread, and both match the JavaScript loops',
    async (c) => {
      if (!native) return; // no OpenBLAS here: no worker either
      expect(await startLoopWorker()).toBe(true);
      const before = splitLoopCounts();
      const onWorker = run(c);
      expect(splitLoopCounts().onWorker).toBeGreaterThan(before.onWorker);
      setLoopWorker(false);
      try {
        const here = run(c);
        expect(splitLoopCounts().here).toBeGreaterThan(before.here);
        onWorker.forEach((values, i) => expect(values).toEqual(here[i]));
        setFusedSimdLoops(false); // the whole batch at once, in JavaScript
        const reference = run(c);
        reference.forEach((values, i) => expect(relativeError(onWorker[i]!, values)).toBeLessThan(1e-5));
      } finally {
        setFusedSimdLoops(true);
        setLoopWorker(true, 0);
      }
    },
  );
});
