/**
 * The fused recurrent op's time-major layout (x [T, B, G·H] -> h [T, B, P], which DilatedRNN's
 * stack runs) against its batch-first layout on the transposed input: outputs and gradients w.r.t.
 * the projected input, W_hh, b_hh and W_hr, for every kind, through the JavaScript loops (cpu; wasm
 * with the SIMD kernels off) and the SIMD kernels (wasm).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { fusedSequence, setFusedSimdLoops } from '../src/models/recurrent/fused-sequence.js';
import type { FusedKind } from '../src/models/recurrent/fused-loops.js';
import { createParamStore } from '../src/nn/params.js';
import { createCaseCell, relativeError, seeded } from './models-recurrent-fixtures.js';

const [B, T, H] = [3, 5, 8];

type Case = { kind: FusedKind; projected: boolean };
const cases: Case[] = [
  ...(['tanh', 'relu', 'lstm', 'gru'] as const).map((kind) => ({ kind, projected: false })),
  { kind: 'lstm', projected: true },
];

/** Output (batch-first) then gradients of L = Σ h·w, with the op in the given layout. */
function run(c: Case, timeMajor: boolean): Float32Array[] {
  const store = createParamStore('layout', 7);
  const cell = createCaseCell(store, c, { hiddenSize: H });
  const weightHr = 'weightHr' in cell ? (cell.weightHr as tf.Variable) : undefined;
  const P = cell.stateSizes[0]!;
  try {
    return tf.tidy(() => {
      const projected = seeded([B, T, cell.weightHh.shape[1]!], 3) as tf.Tensor3D;
      const lossWeights = seeded([B, T, P], 4);
      const forward = (
        x: tf.Tensor,
        weightHh: tf.Tensor,
        biasHh: tf.Tensor,
        ...rest: tf.Tensor[]
      ): tf.Tensor => {
        const weights = { weightHh, biasHh, weightHr: rest[0] };
        const input = timeMajor ? tf.transpose(x, [1, 0, 2]) : x; // [B, T, ·] -> [T, B, ·]
        const y = fusedSequence(c.kind, input as tf.Tensor3D, weights, { timeMajor });
        if (!y) throw new Error('no fused op');
        const batchFirst = timeMajor ? tf.transpose(y, [1, 0, 2]) : y;
        return tf.sum(tf.mul(batchFirst, lossWeights));
      };
      const params = [projected, cell.weightHh, cell.biasHh!, ...(weightHr ? [weightHr] : [])];
      const { value, grads } = tf.valueAndGrads(forward)(params);
      return [value, ...grads].map((t) => (t.dataSync() as Float32Array).slice());
    });
  } finally {
    store.dispose();
  }
}

describe.each([
  ['cpu', true],
  ['wasm', false],
  ['wasm', true],
] as const)('time-major fused op on %s (SIMD kernels %s)', (backend, simd) => {
  afterAll(() => setFusedSimdLoops(true));

  it.each(cases)('$kind (projected $projected) matches the batch-first op', async (c) => {
    await setBackend(backend);
    setFusedSimdLoops(simd);
    const before = tf.memory().numTensors;
    const timeMajor = run(c, true);
    expect(tf.memory().numTensors).toBe(before);
    const batchFirst = run(c, false);
    timeMajor.forEach((got, i) => {
      expect(
        batchFirst[i]!.some((v) => v !== 0),
        `output ${i} is not trivially zero`,
      ).toBe(true);
      expect(relativeError(got, batchFirst[i]!), `output ${i}`).toBeLessThan(1e-5);
    });
  });
});
