/**
 * No-copy `Identity` and same-dtype `Cast` kernels for the wasm backend. TensorFlow.js clones every
 * tensor an op saves for its gradient, and ReLU's gradient casts float32 to float32; wasm's own
 * kernels copy the data in both cases, so each NHITS training step copied about 126 activation and
 * weight tensors (~11 ms of a ~140 ms step). The cpu backend shares the storage instead
 * (reference-counted, as wasm's own Reshape does), which is safe because kernels never write into
 * their inputs; this gives wasm the same behaviour.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { nativeMatmulStatus } from '../native/enable.js';
import { rowwiseConcat } from './wasm-concat.js';
import { untransposedMatMul } from './wasm-matmul.js';
import { singleAxisReverse } from './wasm-reverse.js';
import { viewSlice, viewSplitV, viewUnpack } from './wasm-slice.js';
import { reducedTranspose } from './wasm-transpose.js';

/** The wasm backend's storage bookkeeping, read structurally (not in tfjs' public types). */
interface RefCountingBackend {
  incRef(dataId: object): void;
}

const share = (x: TensorInfo, backend: unknown): TensorInfo => {
  (backend as RefCountingBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

const sharedIdentity: KernelFunc = ({ inputs, backend }) => share(inputs.x as TensorInfo, backend);

/** Wraps wasm's Cast: a cast to the tensor's own dtype shares its storage; real conversions run as before. */
const sharedCast =
  (original: KernelConfig): KernelFunc =>
  (args) => {
    const x = args.inputs.x as TensorInfo;
    return args.attrs?.dtype === x.dtype ? share(x, args.backend) : original.kernelFunc(args);
  };

const replaced = new WeakSet<KernelFunc>();

const replace = (name: string, make: (original: KernelConfig) => KernelFunc): void => {
  const current = tf.getKernel(name, 'wasm');
  if (current === undefined || replaced.has(current.kernelFunc)) return;
  const kernelFunc = make(current);
  replaced.add(kernelFunc);
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...current, kernelFunc });
};

/**
 * Installs the shared-storage kernels, the in-place Slice, SplitV and Unpack, the single-axis Reverse,
 * the axis-reducing Transpose, the row-wise Concat and the untransposed BatchMatMul; call after the wasm backend module loaded (idempotent).
 */
export const shareWasmStorage = (): void => {
  replace(tf.Identity, () => sharedIdentity);
  replace(tf.Cast, sharedCast);
  replace(tf.Slice, viewSlice);
  replace(tf.SplitV, viewSplitV);
  replace(tf.Unpack, viewUnpack);
  replace(tf.Reverse, singleAxisReverse);
  replace(tf.Transpose, reducedTranspose);
  replace(tf.Concat, rowwiseConcat);
  // Never over the native kernel (it handles transposes itself); it falls back to this one.
  if (!nativeMatmulStatus()?.backends.includes('wasm')) replace(tf.BatchMatMul, untransposedMatMul);
};
