/**
 * The fused recurrent sequence ops (fused-sequence.ts) against the step-by-step tf path they
 * replace: outputs and gradients w.r.t. the projected input, W_hh, b_hh (and a projected LSTM's
 * W_hr), for every cell kind, on cpu and wasm, with the OpenBLAS products and without.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { disableNativeMatmul, enableNativeMatmul } from '../src/native/index.js';
import { createElmanCell } from '../src/models/recurrent/elman-cell.js';
import { fusedSequence } from '../src/models/recurrent/fused-sequence.js';
import { createGruCell } from '../src/models/recurrent/gru-cell.js';
import { createLstmCell } from '../src/models/recurrent/lstm-cell.js';
import { createProjectedLstmCell } from '../src/models/recurrent/projected-lstm-cell.js';
import {
  unrollLayer,
  unrollLayerStepwise,
  zeroState,
  type RecurrentLayer,
} from '../src/models/recurrent/unroll.js';
import { createParamStore, type ParamStore } from '../src/nn/params.js';
import type { GateWeights } from '../src/models/recurrent/gate-weights.js';
import { relativeError, seeded } from './models-recurrent-fixtures.js';

// B = 5 runs the JS product's four-row block and its one-row remainder.
const B = 5;
const T = 5;
const H = 4;
/** The projected LSTM's output width (PyTorch's proj_size), below H as PyTorch requires. */
const P = 3;

type Cell = RecurrentLayer & GateWeights & { readonly weightHr?: tf.Variable };

const CELLS: Record<string, (store: ParamStore, bias: boolean) => Cell> = {
  tanh: (store, bias) => createElmanCell(store, { path: 'c', inputSize: 2, hiddenSize: H, bias }),
  relu: (store, bias) =>
    createElmanCell(store, { path: 'c', inputSize: 2, hiddenSize: H, bias, activation: 'relu' }),
  lstm: (store, bias) => createLstmCell(store, { path: 'c', inputSize: 2, hiddenSize: H, bias }),
  gru: (store, bias) => createGruCell(store, { path: 'c', inputSize: 2, hiddenSize: H, bias }),
  'lstm-projected': (store, bias) =>
    createProjectedLstmCell(store, { path: 'c', inputSize: 2, hiddenSize: H, projSize: P, bias }),
};

/** Width of a cell's output h. */
const outputWidth = (cell: Cell): number => cell.stateSizes[0]!;

/**
 * h of every step and dL/d(projected, W_hh, b_hh, W_hr) for L = Σ h·weights (dy varied per
 * element), by the given path. The layer's input projection is bypassed so the gradient w.r.t. its
 * output is exact.
 */
function run(
  cell: Cell,
  path: 'fused' | 'stepwise' | 'one step',
  projected: tf.Tensor3D,
  lossWeights: tf.Tensor,
): Float32Array[] {
  const identity: RecurrentLayer = { ...cell, project: <X extends tf.Tensor>(x: X): X => x };
  const params = [
    projected,
    cell.weightHh,
    ...(cell.biasHh ? [cell.biasHh] : []),
    ...(cell.weightHr ? [cell.weightHr] : []),
  ];
  return tf.tidy(() => {
    const forward = (x: tf.Tensor): tf.Tensor3D => {
      if (path === 'stepwise') return unrollLayerStepwise(identity, x as tf.Tensor3D);
      if (path === 'one step') {
        // T = 1 without unstack/stack (whose gradient tfjs cannot take for a single slice).
        const [b, , width] = x.shape as [number, number, number];
        const [h] = identity.stepProjected(tf.reshape(x, [b, width]) as tf.Tensor2D, zeroState(identity, b));
        return tf.expandDims(h!, 1) as tf.Tensor3D; // [B, P] -> [B, 1, P]
      }
      const y = identity.sequence?.(x as tf.Tensor3D);
      if (!y) throw new Error('the fused op is missing on this backend');
      return y;
    };
    const y = forward(projected);
    const grads = tf.grads((x: tf.Tensor) => tf.sum(tf.mul(forward(x), lossWeights)))(params);
    return [y, ...grads].map((t) => (t.dataSync() as Float32Array).slice());
  });
}

/**
 * Every kind with and without biases at B = 5; the projected LSTM (two products per step) also at
 * B = 1 (the JS product's remainder alone) and B = 8 (two four-row blocks, no remainder).
 */
const cases = Object.keys(CELLS).flatMap((kind) =>
  [true, false].flatMap((bias) =>
    (kind === 'lstm-projected' ? [1, 5, 8] : [B]).map((batch) => ({ kind, bias, batch })),
  ),
);

describe.each(['cpu', 'wasm'] as const)('fused recurrent sequences on %s', (backend) => {
  describe.each([false, true])('OpenBLAS products: %s', (native) => {
    it.each(cases)(
      '$kind (bias $bias, B $batch): h and gradients match the step-by-step path',
      async ({ kind, bias, batch }) => {
        await setBackend(backend);
        disableNativeMatmul();
        if (native && !enableNativeMatmul().enabled) return; // no OpenBLAS here: the other half covers it
        const store = createParamStore('fused', 11);
        const cell = CELLS[kind]!(store, bias);
        const width = cell.weightHh.shape[1]!;
        const projected = seeded([batch, T, width], 5) as tf.Tensor3D;
        const lossWeights = seeded([batch, T, outputWidth(cell)], 9);
        const before = tf.memory().numTensors;
        const fused = run(cell, 'fused', projected, lossWeights);
        const fusedTensors = tf.memory().numTensors;
        const reference = run(cell, 'stepwise', projected, lossWeights);
        expect(fusedTensors).toBe(before); // nothing leaked by the forward or the backward
        const names = [
          'h',
          'd projected',
          'd W_hh',
          ...(bias ? ['d b_hh'] : []),
          ...(cell.weightHr ? ['d W_hr'] : []),
        ];
        expect(fused.length).toBe(names.length);
        fused.forEach((got, i) => {
          const want = reference[i]!;
          expect(
            want.some((v) => v !== 0),
            `${names[i]} is not trivially zero`,
          ).toBe(true);
          expect(relativeError(got, want), names[i]).toBeLessThan(1e-5);
        });
        tf.dispose([projected, lossWeights]);
        store.dispose();
        disableNativeMatmul();
      },
    );
  });

  it.each(['lstm', 'lstm-projected'])(
    'unrollLayer takes the fused path of %s, and runs cells without one step by step',
    async (kind) => {
      await setBackend(backend);
      const store = createParamStore('fused', 3);
      const cell = CELLS[kind]!(store, true);
      const x = seeded([B, T, 2], 1) as tf.Tensor3D;
      const fused = cell.sequenceOfInput?.(x) ?? cell.sequence?.(cell.project(x));
      expect(fused).not.toBeNull();
      const viaUnroll = unrollLayer(cell, x);
      expect(Array.from(viaUnroll.dataSync())).toEqual(Array.from(fused!.dataSync()));
      const plain: RecurrentLayer = { ...cell, sequence: undefined };
      const stepwise = unrollLayer(plain, x);
      expect(
        relativeError(stepwise.dataSync() as Float32Array, fused!.dataSync() as Float32Array),
      ).toBeLessThan(1e-5);
      tf.dispose([x, fused!, viaUnroll, stepwise]);
      store.dispose();
    },
  );

  describe.each([false, true])('OpenBLAS products: %s', (native) => {
    it.each([
      { bias: true, timeMajor: false },
      { bias: false, timeMajor: false },
      { bias: true, timeMajor: true },
    ])(
      'lstm from its raw input (b_ih in the op; bias $bias, time-major $timeMajor): h and gradients match the step-by-step path',
      async ({ bias, timeMajor }) => {
        await setBackend(backend);
        disableNativeMatmul();
        if (native && !enableNativeMatmul().enabled) return; // no OpenBLAS here: the other half covers it
        const store = createParamStore('fused', 12);
        const cell = CELLS.lstm!(store, bias);
        const x = seeded([B, T, 2], 5) as tf.Tensor3D;
        const lossWeights = seeded([B, T, H], 9);
        const params = [x, cell.weightIh, cell.weightHh, ...(bias ? [cell.biasIh!, cell.biasHh!] : [])];
        const swap = (t: tf.Tensor): tf.Tensor3D => tf.transpose(t, [1, 0, 2]) as tf.Tensor3D;
        const direct = (input: tf.Tensor): tf.Tensor3D => {
          const y = timeMajor
            ? cell.sequenceOfInput?.(swap(input), { timeMajor: true })
            : cell.sequenceOfInput?.(input as tf.Tensor3D);
          if (!y) throw new Error('no fused op from the raw input on this backend');
          return timeMajor ? swap(y) : y;
        };
        const stepwise = (input: tf.Tensor): tf.Tensor3D => unrollLayerStepwise(cell, input as tf.Tensor3D);
        const outputs = (forward: (input: tf.Tensor) => tf.Tensor3D): Float32Array[] =>
          tf.tidy(() => {
            const grads = tf.grads((input: tf.Tensor) => tf.sum(tf.mul(forward(input), lossWeights)))(params);
            return [forward(x), ...grads].map((t) => (t.dataSync() as Float32Array).slice());
          });
        const before = tf.memory().numTensors;
        const got = outputs(direct);
        expect(tf.memory().numTensors).toBe(before); // nothing leaked by the forward or the backward
        const want = outputs(stepwise);
        const names = ['h', 'd x', 'd W_ih', 'd W_hh', ...(bias ? ['d b_ih', 'd b_hh'] : [])];
        expect(got.length).toBe(names.length);
        got.forEach((values, i) => {
          expect(
            want[i]!.some((v) => v !== 0),
            `${names[i]} is not trivially zero`,
          ).toBe(true);
          expect(relativeError(values, want[i]!), names[i]).toBeLessThan(1e-5);
        });
        tf.dispose([x, lossWeights]);
        store.dispose();
        disableNativeMatmul();
      },
    );
  });

  it('handles a one-step window (no recurrent product at all)', async () => {
    await setBackend(backend);
    for (const make of Object.values(CELLS)) {
      const store = createParamStore('fused', 4);
      const cell = make(store, true);
      const projected = seeded([2, 1, cell.weightHh.shape[1]!], 2) as tf.Tensor3D;
      const lossWeights = seeded([2, 1, outputWidth(cell)], 3);
      const fused = run(cell, 'fused', projected, lossWeights);
      const reference = run(cell, 'one step', projected, lossWeights);
      // d W_hh is exactly zero here (h_0 = 0), so compare absolutely.
      fused.forEach((got, i) => got.forEach((v, j) => expect(v).toBeCloseTo(reference[i]![j]!, 6)));
      tf.dispose([projected, lossWeights]);
      store.dispose();
    }
  });

  it('declines integer inputs (the caller falls back to the step-by-step path)', async () => {
    await setBackend(backend);
    const w = tf.zeros([H, H]) as tf.Tensor2D;
    const x = tf.zeros([B, T, H], 'int32') as tf.Tensor3D;
    expect(fusedSequence('tanh', x, { weightHh: w })).toBeNull();
    tf.dispose([w, x]);
  });
});

afterAll(() => disableNativeMatmul());
