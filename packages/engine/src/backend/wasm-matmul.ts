/**
 * A wasm `BatchMatMul` that never multiplies transposed operands itself. The backend hands only
 * untransposed products to XNNPACK; with `transposeA` or `transposeB` it runs a generic loop, and
 * those are exactly the products of every dense layer's gradient (dX = dZ·Wᵀ, dW = Xᵀ·dZ): for
 * NHITS' [1024, 512] layers ~280 ms and ~440 ms each against ~23 ms untransposed, so one training
 * step took ~8 s on wasm alone. Transposing the operand first (the backend's own Transpose kernel,
 * ~1 ms) and multiplying untransposed gives the same product. Only matters without OpenBLAS: the
 * native path replaces this kernel and handles transposes itself.
 *
 * The untransposed product goes to XNNPACK, which packs B as weights and caches that operator by
 * B's tensor id alone (not its shape): a gradient reshaped two ways, multiplied as B in both,
 * would reuse the first packing for the second (TiDE's step 3 went NaN). So B is always a fresh
 * tensor here (the transposed copy, or a plain copy), whose cache entry dies with it.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmHeapBackend } from './wasm-heap.js';

/** Wraps wasm's BatchMatMul so transposed operands are materialised before the product. */
export const untransposedMatMul =
  (original: KernelConfig): KernelFunc =>
  (args) => {
    const attrs = args.attrs as { transposeA?: boolean; transposeB?: boolean };
    const transpose = tf.getKernel(tf.Transpose, 'wasm');
    if ((!attrs.transposeA && !attrs.transposeB) || transpose === undefined) return original.kernelFunc(args);
    const backend = args.backend as unknown as WasmHeapBackend;
    const temporaries: TensorInfo[] = [];
    const temporary = (t: TensorInfo): TensorInfo => (temporaries.push(t), t);
    // [..., r, c] -> [..., c, r]
    const flipped = (x: TensorInfo): TensorInfo => {
      const rank = x.shape.length;
      const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
      return temporary(
        transpose.kernelFunc({ inputs: { x }, backend: args.backend, attrs: { perm } }) as TensorInfo,
      );
    };
    // Allocate before taking views: growing the heap detaches earlier views.
    const copied = (x: TensorInfo): TensorInfo => {
      const out = temporary(backend.makeOutput([...x.shape], x.dtype));
      backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(x));
      return out;
    };
    const a = args.inputs.a as TensorInfo;
    const b = args.inputs.b as TensorInfo;
    try {
      return original.kernelFunc({
        ...args,
        inputs: { a: attrs.transposeA ? flipped(a) : a, b: attrs.transposeB ? flipped(b) : copied(b) },
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      });
    } finally {
      for (const t of temporaries) backend.disposeData(t.dataId);
    }
  };
