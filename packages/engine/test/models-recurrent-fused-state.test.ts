/**
 * The fused LSTM/GRU sequence op started from a given state and handing its final state on
 * (fusedSequenceWithState, TFT's encoder and decoder) against the step-by-step tf path: every
 * step's h, the final h and c, and the gradients w.r.t. the projected input, W_hh, b_hh, h_0 and
 * c_0 — with dL/dc_T reaching the op through the final state — on cpu and wasm, with the OpenBLAS
 * products and without.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { disableNativeMatmul, enableNativeMatmul } from '../src/native/index.js';
import { fusedSequenceWithState } from '../src/models/recurrent/fused-sequence.js';
import { createGruCell } from '../src/models/recurrent/gru-cell.js';
import { createLstmCell } from '../src/models/recurrent/lstm-cell.js';
import { stepLayer, type RecurrentLayer } from '../src/models/recurrent/unroll.js';
import { createParamStore } from '../src/nn/params.js';
import { relativeError, seeded } from './models-recurrent-fixtures.js';

const B = 5;
const T = 4;
const H = 3;

const cases = (['lstm', 'gru'] as const).flatMap((kind) =>
  [true, false].flatMap((initial) => [true, false].map((bias) => ({ kind, initial, bias }))),
);

describe.each(['cpu', 'wasm'] as const)('fused sequences with a state on %s', (backend) => {
  describe.each([false, true])('OpenBLAS products: %s', (native) => {
    it.each(cases)(
      '$kind (initial state $initial, bias $bias): h, final state and gradients match the step-by-step path',
      async ({ kind, initial, bias }) => {
        await setBackend(backend);
        disableNativeMatmul();
        if (native && !enableNativeMatmul().enabled) return; // no OpenBLAS here: the other half covers it
        const store = createParamStore('fusedstate', 7);
        const options = { path: 'c', inputSize: 2, hiddenSize: H, bias };
        const cell = kind === 'lstm' ? createLstmCell(store, options) : createGruCell(store, options);
        const identity: RecurrentLayer = { ...cell, project: <X extends tf.Tensor>(x: X): X => x };
        const projected = seeded([B, T, cell.weightHh.shape[1]!], 5) as tf.Tensor3D;
        const h0 = seeded([B, H], 6) as tf.Tensor2D;
        const c0 = seeded([B, H], 8) as tf.Tensor2D;
        const [wy, wh, wc] = [seeded([B, T, H], 9), seeded([B, H], 10), seeded([B, H], 11)];
        const params = [
          projected,
          cell.weightHh,
          ...(bias ? [cell.biasHh!] : []),
          ...(initial ? [h0, ...(kind === 'lstm' ? [c0] : [])] : []),
        ];
        /** [y, h_T, c_T] by one path from the params' current values. */
        const forward = (path: 'fused' | 'stepwise', p: tf.Tensor[]): tf.Tensor[] => {
          const [x, , ...rest] = p;
          const start = initial ? rest.slice(bias ? 1 : 0) : [];
          if (path === 'fused') {
            const run = fusedSequenceWithState(
              kind,
              x as tf.Tensor3D,
              { weightHh: cell.weightHh, biasHh: cell.biasHh },
              initial ? { h: start[0] as tf.Tensor2D, c: start[1] as tf.Tensor2D | undefined } : undefined,
            );
            if (!run) throw new Error('the fused op is missing on this backend');
            return [run.outputs, run.final.h, ...(run.final.c ? [run.final.c] : [])];
          }
          const state = initial ? (start as tf.Tensor2D[]) : undefined;
          const run = stepLayer(identity, x as tf.Tensor3D, state);
          return [run.outputs, ...run.final];
        };
        const loss = (outs: tf.Tensor[]): tf.Scalar =>
          tf.addN(outs.map((o, i) => tf.sum(tf.mul(o, [wy, wh, wc][i]!)))) as tf.Scalar;
        const measure = (path: 'fused' | 'stepwise'): Float32Array[] =>
          tf.tidy(() => {
            const values = forward(path, params);
            // Variables are differentiated through tf.grads as plain inputs: W_hh and b_hh are
            // read from `p` by the fused path only via the cell, so take them through variableGrads.
            const { grads } = tf.variableGrads(
              () => loss(forward(path, params)),
              [cell.weightHh, ...(bias ? [cell.biasHh!] : [])],
            );
            const inputGrads = tf.grads((...xs: tf.Tensor[]) =>
              loss(forward(path, [xs[0]!, cell.weightHh, ...(bias ? [cell.biasHh!] : []), ...xs.slice(1)])),
            )([projected, ...(initial ? params.slice(bias ? 3 : 2) : [])]);
            return [
              ...values,
              ...inputGrads,
              grads[cell.weightHh.name]!,
              ...(bias ? [grads[cell.biasHh!.name]!] : []),
            ].map((t) => (t.dataSync() as Float32Array).slice());
          });
        const before = tf.memory().numTensors;
        const fused = measure('fused');
        expect(tf.memory().numTensors).toBe(before); // nothing leaked by the forward or the backward
        const reference = measure('stepwise');
        const names = [
          'h',
          'h_T',
          ...(kind === 'lstm' ? ['c_T'] : []),
          'd projected',
          ...(initial ? ['d h_0', ...(kind === 'lstm' ? ['d c_0'] : [])] : []),
          'd W_hh',
          ...(bias ? ['d b_hh'] : []),
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
        tf.dispose([projected, h0, c0, wy, wh, wc]);
        store.dispose();
        disableNativeMatmul();
      },
    );
  });
});

describe('the initial state by hand (cpu)', () => {
  it('an LSTM step from h_0, c_0 with zero weights and input: c_1 = c_0/2 + 0, h_1 = tanh(c_1)/2', async () => {
    await setBackend('cpu');
    // All gates' pre-activations are 0 (x = 0, W_hh = 0, no bias): i = f = o = ½, g = 0.
    const x = tf.zeros([1, 1, 8]) as tf.Tensor3D;
    const w = tf.zeros([2, 8]);
    const run = fusedSequenceWithState(
      'lstm',
      x,
      { weightHh: w },
      {
        h: tf.tensor2d([[5, -5]]),
        c: tf.tensor2d([[1, -3]]),
      },
    )!;
    const c1 = [0.5, -1.5];
    expect(Array.from(run.final.c!.dataSync())).toEqual(c1.map((v) => Math.fround(v)));
    const h1 = Array.from(run.outputs.dataSync());
    h1.forEach((v, j) => expect(v).toBeCloseTo(0.5 * Math.tanh(c1[j]!), 6));
    expect(Array.from(run.final.h.dataSync())).toEqual(h1);
  });

  it('a GRU step reads h_0 through its z gate: z = ½, n = 0 gives h_1 = h_0/2', async () => {
    await setBackend('cpu');
    const x = tf.zeros([1, 1, 6]) as tf.Tensor3D;
    const run = fusedSequenceWithState(
      'gru',
      x,
      { weightHh: tf.zeros([2, 6]) },
      { h: tf.tensor2d([[4, -2]]) },
    )!;
    expect(Array.from(run.outputs.dataSync())).toEqual([2, -1]);
    expect(run.final.c).toBeUndefined();
  });
});
