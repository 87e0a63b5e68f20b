import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * The wasm backend's storage access, read structurally (not in tfjs' public types): the kernels
 * that read or write the heap in place (Slice, Reverse, BatchMatMul) go through this.
 */
export interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array;
  disposeData(dataId: object): void;
}
