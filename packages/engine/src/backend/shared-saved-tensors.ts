/**
 * Tensors saved for the backward pass without a kernel call. TensorFlow.js clones every tensor an
 * op saves for its gradient (`engine.clone`): one `Identity` kernel run through the whole kernel
 * path (scopes, profiler hook, kernel lookup) plus a tape node of its own, whose Cast gradient only
 * a gradient of a gradient could ever reach. The wasm and cpu Identity kernels already share the
 * storage (reference-counted), so the clone is bookkeeping alone — yet in small models it was a
 * third of the kernel calls (TimeMixer: 500 of ~1,500 per step). Here a clone is the same shared
 * tensor made directly: the storage's reference count goes up, as Identity's does, and nothing
 * goes on the tape. The lab never differentiates a gradient, so the skipped tape node is never
 * read; other backends (tfjs-node) keep tfjs' clone.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The engine internals the clone touches (public on tfjs' Engine, not in its typings). */
interface CloningEngine {
  clone(x: tf.Tensor): tf.Tensor;
  makeTensorFromDataId(dataId: object, shape: number[], dtype: tf.DataType, backend: unknown): tf.Tensor;
  state: { tensorInfo: { get(dataId: object): { backend: unknown } | undefined } };
}

/** The backends whose storage is reference-counted through `incRef`. */
interface RefCountingBackend {
  incRef(dataId: object): void;
}

const SHARING_BACKENDS = ['wasm', 'cpu'] as const;

let original: CloningEngine['clone'] | undefined;

/** A clone that shares `x`'s storage on wasm and cpu, else tfjs' own. */
const sharedClone = (engine: CloningEngine, tfjsClone: CloningEngine['clone']) => {
  const sharing = new Set<unknown>();
  return (x: tf.Tensor): tf.Tensor => {
    const backend = engine.state.tensorInfo.get(x.dataId)?.backend;
    if (!sharing.has(backend)) {
      const name = SHARING_BACKENDS.find((n) => tf.findBackend(n) === backend);
      if (name === undefined || x.dtype === 'string' || x.dtype === 'complex64') return tfjsClone(x);
      sharing.add(backend);
    }
    (backend as RefCountingBackend).incRef(x.dataId);
    return engine.makeTensorFromDataId(x.dataId, x.shape, x.dtype, backend);
  };
};

/**
 * Turns the kernel-free clone on (the default once a lab backend is set) or back to tfjs' own
 * (for A/B timing and tests).
 */
export const setSharedSavedTensors = (on: boolean): void => {
  const engine = tf.engine() as unknown as CloningEngine;
  if (on && original === undefined) {
    original = engine.clone.bind(engine);
    engine.clone = sharedClone(engine, original);
  } else if (!on && original !== undefined) {
    engine.clone = original;
    original = undefined;
  }
};
