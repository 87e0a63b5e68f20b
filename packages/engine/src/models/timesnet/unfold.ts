/**
 * The two data-movement halves of TimesNet's 2-D convolution as single-pass kernels. Written with
 * TensorFlow.js ops they are k strided slices plus a concat (and pads plus adds backward); the cpu
 * backend slices inner axes element by element (5.6 s of a 7.7 s forward at a tiny size) and wasm
 * pays per op, so each is one loop over Float32Array storage here, registered for cpu and wasm.
 *
 * On x viewed as [P, A, S, Q] (A the axis, taps r = (k−1)/2 on either side, zero beyond its ends,
 * σ = ±1 the direction of the taps):
 *   unfold(x)[p, a, s, j, q] = x[p, a + σ(j − r), s, q]                    [P, A, S, k, Q]
 *   fold(z)[p, a, s, q]      = Σ_j z[p, a − σ(j − r), s, j, q]              [P, A, S, Q]
 * fold is unfold's adjoint, so each is the other's gradient. Other backends (tfjs-node) use the
 * slice/pad formulation.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { registerOnce } from '../../backend/wasm-kernel.js';
import { backendMemory, NATIVE_BACKENDS, type NativeBackendName } from '../../native/backend-memory.js';

const UNFOLD = 'NflabTimesnetUnfold';
const FOLD = 'NflabTimesnetFold';

/** The [P, A, S, Q] view, the number of taps k (odd) and their direction σ. */
export interface UnfoldShape {
  readonly P: number;
  readonly A: number;
  readonly S: number;
  readonly Q: number;
  readonly k: number;
  /** σ: tap j reads offset σ(j − r). @default 1 */
  readonly sign?: 1 | -1;
}

/** unfold over flat arrays; `out` has P·A·S·k·Q elements. */
export function unfoldLoop(
  x: Float32Array,
  out: Float32Array,
  { P, A, S, Q, k, sign = 1 }: UnfoldShape,
): void {
  const r = (k - 1) / 2;
  let o = 0;
  for (let p = 0; p < P; p += 1) {
    for (let a = 0; a < A; a += 1) {
      for (let s = 0; s < S; s += 1) {
        for (let j = 0; j < k; j += 1, o += Q) {
          const src = a + sign * (j - r);
          if (src < 0 || src >= A) out.fill(0, o, o + Q);
          else {
            const from = ((p * A + src) * S + s) * Q;
            out.set(x.subarray(from, from + Q), o);
          }
        }
      }
    }
  }
}

/** fold over flat arrays; `out` has P·A·S·Q elements. */
export function foldLoop(z: Float32Array, out: Float32Array, { P, A, S, Q, k, sign = 1 }: UnfoldShape): void {
  const r = (k - 1) / 2;
  out.fill(0);
  for (let p = 0; p < P; p += 1) {
    for (let a = 0; a < A; a += 1) {
      for (let s = 0; s < S; s += 1) {
        const to = ((p * A + a) * S + s) * Q;
        for (let j = 0; j < k; j += 1) {
          const src = a - sign * (j - r);
          if (src < 0 || src >= A) continue;
          const from = ((((p * A + src) * S + s) * k + j) * Q) as number;
          for (let q = 0; q < Q; q += 1) out[to + q] = (out[to + q] as number) + (z[from + q] as number);
        }
      }
    }
  }
}

const kernelFor =
  (name: NativeBackendName, fold: boolean): KernelFunc =>
  ({ inputs, backend, attrs }) => {
    const shape = attrs as unknown as UnfoldShape;
    const { P, A, S, Q, k } = shape;
    const mem = backendMemory(name, backend);
    // Allocate before taking views: growing the wasm heap detaches earlier views.
    const out = mem.alloc(fold ? [P, A, S, Q] : [P, A, S, k, Q]);
    const input = mem.view(inputs.x as TensorInfo);
    const output = mem.view(out);
    if (input === null || output === null)
      throw new Error(`${fold ? FOLD : UNFOLD}: inputs must be float32 tensors`);
    (fold ? foldLoop : unfoldLoop)(input, output, shape);
    return out;
  };

/** Registers both kernels for cpu and wasm (idempotent). */
const register = registerOnce({
  backends: NATIVE_BACKENDS,
  kernels: (backendName) => ({
    [UNFOLD]: kernelFor(backendName, false),
    [FOLD]: kernelFor(backendName, true),
  }),
});

/** The slice/pad formulation, for backends without the kernels: x [P, A, S, Q] -> [P, A, S, k, Q]. */
export function unfoldOps(x: tf.Tensor4D, k: number, sign: 1 | -1): tf.Tensor {
  const [P, A, S, Q] = x.shape;
  const r = (k - 1) / 2;
  const padded = tf.pad(x, [
    [0, 0],
    [r, r],
    [0, 0],
    [0, 0],
  ]);
  const taps = Array.from({ length: k }, (_, j) =>
    tf.reshape(tf.slice(padded, [0, r + sign * (j - r), 0, 0], [P, A, S, Q]), [P, A, S, 1, Q]),
  );
  return tf.concat(taps, 3);
}

/** The slice/pad formulation of fold: z [P, A, S, k, Q] -> [P, A, S, Q]. */
export function foldOps(z: tf.Tensor, shape: UnfoldShape): tf.Tensor {
  const { P, A, S, Q, k, sign = 1 } = shape;
  const r = (k - 1) / 2;
  const padded = tf.pad(tf.reshape(z, [P, A, S, k * Q]), [
    [0, 0],
    [r, r],
    [0, 0],
    [0, 0],
  ]); // [P, A + 2r, S, k·Q]
  // fold(z)[a] = Σ_j z[a − σ(j − r), j]: padded row a + r − σ(j − r), block j.
  const parts = Array.from({ length: k }, (_, j) =>
    tf.slice(padded, [0, r - sign * (j - r), 0, j * Q], [P, A, S, Q]),
  );
  return tf.addN(parts);
}

const hasKernels = (): boolean => {
  register();
  return tf.getKernel(UNFOLD, tf.getBackend()) !== undefined;
};

const run = (kernel: string, x: tf.Tensor, shape: UnfoldShape): tf.Tensor =>
  tf
    .engine()
    .runKernel(
      kernel,
      { x } as unknown as tf.NamedTensorMap,
      { sign: 1, ...shape } as unknown as tf.NamedAttrMap,
    ) as tf.Tensor;

const rawUnfold = (x: tf.Tensor, shape: UnfoldShape): tf.Tensor =>
  hasKernels() && x.dtype === 'float32'
    ? run(UNFOLD, x, shape)
    : unfoldOps(tf.reshape(x, [shape.P, shape.A, shape.S, shape.Q]), shape.k, shape.sign ?? 1);

const rawFold = (z: tf.Tensor, shape: UnfoldShape): tf.Tensor =>
  hasKernels() && z.dtype === 'float32' ? run(FOLD, z, shape) : foldOps(z, shape);

/** unfold(x) for x [P, A, S, Q] (any shape of that size): [P, A, S, k, Q], gradient fold. */
export function unfold(x: tf.Tensor, shape: UnfoldShape): tf.Tensor {
  const op = tf.customGrad((input) => ({
    value: rawUnfold(input as tf.Tensor, shape),
    gradFunc: (dy: tf.Tensor) => tf.reshape(rawFold(dy, shape), (input as tf.Tensor).shape),
  }));
  return op(x);
}

/** fold(z) for z [P, A, S, k, Q] (any shape of that size): [P, A, S, Q], gradient unfold. */
export function fold(z: tf.Tensor, shape: UnfoldShape): tf.Tensor {
  const op = tf.customGrad((input) => ({
    value: rawFold(input as tf.Tensor, shape),
    gradFunc: (dy: tf.Tensor) => tf.reshape(rawUnfold(dy, shape), (input as tf.Tensor).shape),
  }));
  return op(z);
}
