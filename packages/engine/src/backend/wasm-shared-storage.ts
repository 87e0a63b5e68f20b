/**
 * A no-copy `Identity` kernel for the wasm backend. TensorFlow.js clones every tensor an op saves
 * for its gradient, and wasm's own Identity copies the data, so each NHITS training step copied
 * about 126 activation and weight tensors (~11 ms of a ~140 ms step). The cpu backend shares the
 * storage instead (reference-counted, as wasm's own Reshape does), which is safe because kernels
 * never write into their inputs; this gives wasm the same behaviour.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

/** The wasm backend's storage bookkeeping, read structurally (not in tfjs' public types). */
interface RefCountingBackend {
  incRef(dataId: object): void;
}

const sharedIdentity: KernelFunc = ({ inputs, backend }) => {
  const x = inputs.x as TensorInfo;
  (backend as unknown as RefCountingBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

/** Replaces wasm's copying Identity with the shared-storage one; call after the wasm backend module loaded. */
export const shareWasmIdentity = (): void => {
  const current = tf.getKernel(tf.Identity, 'wasm');
  if (current === undefined || current.kernelFunc === sharedIdentity) return;
  tf.unregisterKernel(tf.Identity, 'wasm');
  tf.registerKernel({ ...current, kernelFunc: sharedIdentity });
};
