/**
 * The SIMD recurrent loops (simd-loops.ts) address tensors by byte offsets into the wasm heap, and
 * that heap grows past 2 GiB in real training (TFT's yardstick reached ~2.5 GiB): offsets from 2^31
 * up must index it as the unsigned numbers they are. Here a TFT-sized LSTM encoder (T 24 from a
 * given state) and decoder (T 12 from the encoder's final state) runs with its tensors above 2 GiB,
 * by the SIMD loops and by the JavaScript loops of fused-loops.ts: every step's h, the final state
 * and the gradients w.r.t. the projected inputs, the weights, h_0 and c_0 must agree.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { wasmSimd } from '../src/backend/simd/wasm-simd.js';
import { disableNativeMatmul, enableNativeMatmul } from '../src/native/index.js';
import type { WasmBackendLike } from '../src/native/backend-memory.js';
import { fusedSequenceWithState, setFusedSimdLoops } from '../src/models/recurrent/fused-sequence.js';
import { createLstmCell } from '../src/models/recurrent/lstm-cell.js';
import { createParamStore } from '../src/nn/params.js';
import { relativeError, seeded } from './models-recurrent-fixtures.js';

const B = 1024;
const H = 128;
const ENCODER_STEPS = 24;
const DECODER_STEPS = 12;
const TWO_GIB = 2 ** 31;

type HeapBackend = WasmBackendLike & { disposeData(dataId: object): void };

/**
 * Takes wasm heap up to past 2 GiB, without writing it, so that large tensors made next lie above
 * 2^31 bytes; returns the release.
 */
function fillHeapPastTwoGiB(): () => void {
  const backend = tf.backend() as unknown as HeapBackend;
  const simd = wasmSimd(backend)!;
  const fillers: TensorInfo[] = [];
  for (let end = 0; end < TWO_GIB;) {
    const bytes = Math.max(TWO_GIB - backend.wasm.HEAPU8.length, 0) + 2 ** 24;
    const filler = backend.makeOutput([bytes / 4], 'float32');
    fillers.push(filler);
    end = Math.max(end, simd.offset(filler)! + bytes);
  }
  return () => fillers.forEach((filler) => backend.disposeData(filler.dataId));
}

/**
 * Encoder and decoder outputs, the decoder's final h and c, the loss reading all of them, and its
 * gradients w.r.t. both projected inputs, h_0, c_0 and both layers' W_hh and b_hh; and where the
 * encoder's input lay in the heap.
 */
function run(simd: boolean): { values: Float32Array[]; xOffset: number } {
  setFusedSimdLoops(simd);
  const store = createParamStore('highheap', 17);
  const layer = (path: string) => createLstmCell(store, { path, inputSize: 2, hiddenSize: H, bias: true });
  const [encoder, decoder] = [layer('enc'), layer('dec')];
  let outputs: tf.Tensor[] = [];
  try {
    const { results, xOffset } = tf.tidy(() => {
      const xEnc = seeded([B, ENCODER_STEPS, 4 * H], 5);
      const xDec = seeded([B, DECODER_STEPS, 4 * H], 6);
      const [h0, c0] = [seeded([B, H], 7), seeded([B, H], 8)];
      const [wEnc, wDec] = [seeded([B, ENCODER_STEPS, H], 9), seeded([B, DECODER_STEPS, H], 10)];
      const [wh, wc] = [seeded([B, H], 11), seeded([B, H], 12)];
      const weights = [encoder.weightHh, encoder.biasHh!, decoder.weightHh, decoder.biasHh!];
      const loss = (...p: tf.Tensor[]): tf.Scalar => {
        const [xe, xd, h, c, weightHh, biasHh, decoderHh, decoderBias] = p as [
          tf.Tensor3D,
          tf.Tensor3D,
          tf.Tensor2D,
          tf.Tensor2D,
          tf.Tensor,
          tf.Tensor,
          tf.Tensor,
          tf.Tensor,
        ];
        const enc = fusedSequenceWithState('lstm', xe, { weightHh, biasHh }, { h, c })!;
        const dec = fusedSequenceWithState(
          'lstm',
          xd,
          { weightHh: decoderHh, biasHh: decoderBias },
          enc.final,
        )!;
        // Kept past the gradient's own scope, disposed below.
        outputs = [enc.outputs, dec.outputs, dec.final.h, dec.final.c!].map((t) => tf.keep(t.clone()));
        return tf.addN([
          tf.sum(tf.mul(enc.outputs, wEnc)),
          tf.sum(tf.mul(dec.outputs, wDec)),
          tf.sum(tf.mul(dec.final.h, wh)),
          tf.sum(tf.mul(dec.final.c!, wc)),
        ]) as tf.Scalar;
      };
      const { value, grads } = tf.valueAndGrads(loss)([xEnc, xDec, h0, c0, ...weights]);
      const xOffset = wasmSimd(tf.backend())!.offset(xEnc as unknown as TensorInfo)!;
      return { results: [value, ...grads], xOffset };
    });
    // Read outside the tidy: it would walk the returned arrays element by element.
    const values = [...outputs, ...results].map((t) => (t.dataSync() as Float32Array).slice());
    tf.dispose(results);
    return { values, xOffset };
  } finally {
    tf.dispose(outputs);
    store.dispose();
    setFusedSimdLoops(true);
  }
}

describe.each([false, true])(
  'SIMD recurrent loops above 2 GiB of wasm heap, OpenBLAS products: %s',
  (native) => {
    it('a TFT-sized LSTM encoder and decoder with a given state match the JavaScript loop', async () => {
      await setBackend('wasm');
      disableNativeMatmul();
      if (native && !enableNativeMatmul().enabled) return; // no OpenBLAS here: the other half covers it
      const release = fillHeapPastTwoGiB();
      try {
        const simd = run(true);
        expect(simd.xOffset, 'the tensors lie above 2 GiB').toBeGreaterThanOrEqual(TWO_GIB);
        const js = run(false);
        simd.values.forEach((got, i) => {
          expect(got.every(Number.isFinite), `output ${i} is finite`).toBe(true);
          expect(relativeError(got, js.values[i]!), `output ${i}`).toBeLessThan(1e-5);
        });
      } finally {
        release();
        disableNativeMatmul();
      }
    });
  },
);

afterAll(() => disableNativeMatmul());
