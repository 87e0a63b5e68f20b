/**
 * The SIMD gate kernels of the fused recurrent loops (simd-loops.ts, kernels.wat) against the
 * JavaScript loops they replace on wasm (fused-loops.ts, switched back on by setFusedSimdLoops):
 * outputs, final states and gradients w.r.t. the projected input, W_hh, b_hh, W_hr, h_0 and c_0,
 * for every kind, with a zero and a given initial state, with the OpenBLAS products and without.
 * H = 8 puts two SIMD lanes groups in every gate block, H = 12 three: the kernels run four vectors
 * at a time while they can, then one at a time, and each width mixes the two differently.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { disableNativeMatmul, enableNativeMatmul } from '../src/native/index.js';
import {
  fusedSequence,
  fusedSequenceWithState,
  setFusedSimdLoops,
} from '../src/models/recurrent/fused-sequence.js';
import type { FusedKind } from '../src/models/recurrent/fused-loops.js';
import { simdLoopsFit } from '../src/models/recurrent/simd-loops.js';
import { wasmSimd } from '../src/backend/simd/wasm-simd.js';
import { createParamStore } from '../src/nn/params.js';
import { createCaseCell, relativeError, seeded } from './models-recurrent-fixtures.js';

const B = 5;
const T = 6;
const H = 8;

type Case = { kind: FusedKind; bias: boolean; initial: boolean; projected: boolean };
const cases: Case[] = [
  ...(['tanh', 'relu', 'lstm', 'gru'] as const).flatMap((kind) =>
    [true, false].map((bias) => ({ kind, bias, initial: false, projected: false })),
  ),
  ...(['lstm', 'gru'] as const).flatMap((kind) =>
    [true, false].map((bias) => ({ kind, bias, initial: true, projected: false })),
  ),
  { kind: 'lstm', bias: true, initial: false, projected: true },
];

/** Outputs then gradients of L = Σ outputs·weights, by the fused op of the case. */
function run(c: Case, simd: boolean, hidden = H): Float32Array[] {
  setFusedSimdLoops(simd);
  const store = createParamStore('simd', 13);
  const cell = createCaseCell(store, c, { hiddenSize: hidden, bias: c.bias });
  const weightHr = 'weightHr' in cell ? (cell.weightHr as tf.Variable) : undefined;
  const P = cell.stateSizes[0]!;
  try {
    return tf.tidy(() => {
      const projected = seeded([B, T, cell.weightHh.shape[1]!], 5);
      const h0 = seeded([B, hidden], 6);
      const c0 = seeded([B, hidden], 8);
      const lossWeights = seeded([B, T + 2, P], 9);
      const params = [
        projected,
        cell.weightHh,
        ...(c.bias ? [cell.biasHh!] : []),
        ...(weightHr ? [weightHr] : []),
        ...(c.initial ? [h0, ...(c.kind === 'lstm' ? [c0] : [])] : []),
      ];
      const forward = (...p: tf.Tensor[]): tf.Tensor => {
        const [x, weightHh, ...rest] = p as [tf.Tensor3D, tf.Tensor, ...tf.Tensor[]];
        const biasHh = c.bias ? rest.shift() : undefined;
        const wHr = weightHr ? rest.shift() : undefined;
        if (!c.initial) {
          const y = fusedSequence(c.kind, x, { weightHh, biasHh, weightHr: wHr });
          if (!y) throw new Error('no fused op');
          return tf.sum(tf.mul(y, tf.slice(lossWeights, [0, 0, 0], [B, T, P])));
        }
        const [h, cc] = rest as [tf.Tensor2D, tf.Tensor2D | undefined];
        const kind = c.kind as 'lstm' | 'gru';
        const out = fusedSequenceWithState(kind, x, { weightHh, biasHh }, { h, c: cc });
        if (!out) throw new Error('no fused op');
        // The final h and c read by the loss too, so dL/dc_T reaches the op.
        const all = tf.concat(
          [out.outputs, tf.expandDims(out.final.h, 1), tf.expandDims(out.final.c ?? out.final.h, 1)],
          1,
        );
        return tf.sum(tf.mul(all, lossWeights));
      };
      const { value, grads } = tf.valueAndGrads(forward)(params);
      return [value, ...grads].map((t) => (t.dataSync() as Float32Array).slice());
    });
  } finally {
    store.dispose();
    setFusedSimdLoops(true);
  }
}

/** The SIMD loops' outputs and gradients against the JavaScript loop's, for one case and width. */
async function expectSimdMatchesJs(c: Case, native: boolean, hidden = H): Promise<void> {
  await setBackend('wasm');
  disableNativeMatmul();
  if (native && !enableNativeMatmul().enabled) return; // no OpenBLAS here: the other half covers it
  const before = tf.memory().numTensors;
  const simd = run(c, true, hidden);
  expect(tf.memory().numTensors).toBe(before); // scratch freed, nothing leaked
  const js = run(c, false, hidden);
  expect(simd.length).toBe(js.length);
  simd.forEach((got, i) => {
    expect(
      js[i]!.some((v) => v !== 0),
      `output ${i} is not trivially zero`,
    ).toBe(true);
    expect(relativeError(got, js[i]!), `output ${i}`).toBeLessThan(1e-5);
  });
  disableNativeMatmul();
}

describe.each([false, true])('SIMD recurrent gate kernels on wasm, OpenBLAS products: %s', (native) => {
  it.each(cases)(
    '$kind (bias $bias, initial state $initial, projected $projected) matches the JavaScript loop',
    async (c) => expectSimdMatchesJs(c, native),
  );

  it.each(cases.filter((c) => c.bias))(
    '$kind (initial state $initial, projected $projected) at H = 12 matches the JavaScript loop',
    async (c) => expectSimdMatchesJs(c, native, 12),
  );

  it('computes σ and tanh to float32 precision over the whole range', async () => {
    await setBackend('wasm');
    const simd = wasmSimd(tf.backend());
    expect(simd).not.toBeNull();
    const { kernels, offset } = simd!;
    // Wide values, the saturated tails and tiny ones (tanh keeps its relative precision near 0).
    const values = [
      ...Array.from({ length: 400 }, (_, i) => (i - 200) / 10),
      ...[-120, -95, -88, -87.5, 87.5, 88, 95, 120, 1e-3, -3e-4, 1e-5, -1e-7, 0, 2e-38],
    ];
    // n ≡ 12 (mod 16): the kernels' four-vector loop, then their one-vector loop for the last twelve.
    while (values.length % 16 !== 12) values.push(0.25);
    const n = values.length;
    const x = tf.tensor(values); // as the r|z|n (GRU) or single (Elman) block of one row
    const gruX = tf.tensor([...values, ...values, ...Array<number>(n).fill(0)]);
    const zeros = tf.zeros([3 * n]);
    const [h, aux, hGru] = [tf.zeros([n]), tf.zeros([4 * n]), tf.zeros([n])];
    const at = (t: tf.Tensor): number => offset(t as unknown as Parameters<typeof offset>[0])!;
    kernels.recurrent.elmanForwardStep(at(x), 0, at(zeros), 0, at(h), 0, 1, n, 0);
    kernels.recurrent.gruForwardStep(at(gruX), 0, at(zeros), 0, at(aux), 0, 0, 0, at(hGru), 0, 1, n);
    const tanh = h.dataSync();
    const sigma = aux.dataSync().subarray(0, n);
    values.map(Math.fround).forEach((v, i) => {
      const t = Math.tanh(v);
      expect(Math.abs(tanh[i]! - t), `tanh(${v})`).toBeLessThanOrEqual(5e-7 * Math.max(Math.abs(t), 1e-3));
      const s = 1 / (1 + Math.exp(-v));
      expect(Math.abs(sigma[i]! - s), `σ(${v})`).toBeLessThanOrEqual(5e-7 * Math.max(s, 1e-30) + 2e-38);
    });
    tf.dispose([x, gruX, zeros, h, aux, hGru]);
  });

  it('leaves hidden sizes that are not a multiple of 4 to the JavaScript loop', () => {
    expect(simdLoopsFit(128)).toBe(true);
    expect(simdLoopsFit(6)).toBe(false);
  });
});

afterAll(() => disableNativeMatmul());
