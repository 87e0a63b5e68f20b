/**
 * A wasm `BatchMatMul` that never multiplies transposed operands itself. The backend hands only
 * untransposed products to XNNPACK; with `transposeA` or `transposeB` it runs a generic loop, and
 * those are exactly the products of every dense layer's gradient (dX = dZ·Wᵀ, dW = Xᵀ·dZ): for
 * NHITS' [1024, 512] layers ~280 ms and ~440 ms each against ~23 ms untransposed, so one training
 * step took ~8 s on wasm alone. Transposing the operand first (the backend's own Transpose kernel,
 * ~1 ms) and multiplying untransposed gives the same product. Only matters without OpenBLAS: the
 * native path replaces this kernel and handles transposes itself.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

interface DisposingBackend {
  disposeData(dataId: object): void;
}

/** Wraps wasm's BatchMatMul so transposed operands are materialised before the product. */
export const untransposedMatMul =
  (original: KernelConfig): KernelFunc =>
  (args) => {
    const attrs = args.attrs as { transposeA?: boolean; transposeB?: boolean };
    const transpose = tf.getKernel(tf.Transpose, 'wasm');
    if ((!attrs.transposeA && !attrs.transposeB) || transpose === undefined) return original.kernelFunc(args);
    const temporaries: TensorInfo[] = [];
    // [..., r, c] -> [..., c, r]
    const flipped = (x: TensorInfo): TensorInfo => {
      const rank = x.shape.length;
      const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
      const t = transpose.kernelFunc({ inputs: { x }, backend: args.backend, attrs: { perm } }) as TensorInfo;
      temporaries.push(t);
      return t;
    };
    const a = args.inputs.a as TensorInfo;
    const b = args.inputs.b as TensorInfo;
    try {
      return original.kernelFunc({
        ...args,
        inputs: { a: attrs.transposeA ? flipped(a) : a, b: attrs.transposeB ? flipped(b) : b },
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      });
    } finally {
      for (const t of temporaries) (args.backend as unknown as DisposingBackend).disposeData(t.dataId);
    }
  };
