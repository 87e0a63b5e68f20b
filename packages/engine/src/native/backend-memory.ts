import { engine, type TensorInfo } from '@tensorflow/tfjs-core';

/** Backends whose tensor memory this path can view without copying. */
export const NATIVE_BACKENDS = ['cpu', 'wasm'] as const;
/** A backend name the native matmul can override kernels for. */
export type NativeBackendName = (typeof NATIVE_BACKENDS)[number];

/** Zero-copy access to a backend's float32 tensor storage. */
export interface BackendMemory {
  /** Allocates an output tensor; call before `view` since allocation may move the wasm heap. */
  alloc(shape: number[]): TensorInfo;
  /** A Float32Array over the tensor's own storage, or null when it is not plain float32 data. */
  view(info: TensorInfo): Float32Array | null;
}

// The backends' storage maps are not part of tfjs' public types, so they are read structurally.
interface CpuBackendLike {
  data: { get(id: object): { values?: unknown } | undefined };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}
/** The wasm backend's storage: tensors live at byte offsets in the module's exported memory. */
export interface WasmBackendLike {
  dataIdMap: { get(id: object): { memoryOffset: number | null } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  wasm: { HEAPU8: Uint8Array; asm?: { memory?: unknown } };
}

const size = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

function cpuMemory(backend: CpuBackendLike): BackendMemory {
  return {
    alloc: (shape) => backend.makeTensorInfo(shape, 'float32', new Float32Array(size(shape))),
    view: (info) => {
      const values = backend.data.get(info.dataId)?.values;
      return values instanceof Float32Array && values.length === size(info.shape) ? values : null;
    },
  };
}

function wasmMemory(backend: WasmBackendLike): BackendMemory {
  return {
    alloc: (shape) => backend.makeOutput(shape, 'float32'),
    view: (info) => {
      const offset = backend.dataIdMap.get(info.dataId)?.memoryOffset;
      if (offset == null) return null;
      // HEAPU8 is re-created by Emscripten when memory grows; read it fresh every time.
      return new Float32Array(backend.wasm.HEAPU8.buffer, offset, size(info.shape));
    },
  };
}

/** Memory access for a backend instance by its registered name. */
export function backendMemory(name: NativeBackendName, backend: unknown): BackendMemory {
  return name === 'cpu' ? cpuMemory(backend as CpuBackendLike) : wasmMemory(backend as WasmBackendLike);
}

/**
 * Float32 views of `infos` on backend `name` (call after every output is allocated: allocation may
 * move the wasm heap). Throws, naming `kernel`, when one has no plain float32 storage.
 */
export function float32Views(
  name: NativeBackendName,
  backend: unknown,
  infos: readonly TensorInfo[],
  kernel: string,
): Float32Array[] {
  const memory = backendMemory(name, backend);
  return infos.map((info) => {
    const view = memory.view(info);
    if (view === null) throw new Error(`${kernel}: tensors must be float32`);
    return view;
  });
}

/** A Float32Array for each member of tuple `T`. */
type Float32Tuple<T extends readonly unknown[]> = { [K in keyof T]: Float32Array };

/** Outputs allocated by {@link allocFloat32Outputs} and the views of its inputs and outputs. */
export interface Float32Outputs<I extends readonly unknown[], S extends readonly unknown[]> {
  /** The outputs, one per shape, for the caller to make tensors of. */
  readonly outputs: { [K in keyof S]: TensorInfo };
  /** The inputs' views, then the outputs'. */
  readonly views: [...Float32Tuple<I>, ...Float32Tuple<S>];
}

/**
 * Allocates a float32 output for each of `shapes`, then views `inputs` and the outputs (allocation
 * first: a growing wasm heap detaches earlier views). Null, with the outputs disposed, when a
 * tensor has no plain float32 storage.
 */
export function allocFloat32Outputs<
  const I extends readonly TensorInfo[],
  const S extends readonly (readonly number[])[],
>(memory: BackendMemory, inputs: I, shapes: S): Float32Outputs<I, S> | null {
  const outputs = shapes.map((shape) => memory.alloc([...shape]));
  const views = [...inputs, ...outputs].map((info) => memory.view(info));
  if (views.some((view) => view === null)) {
    for (const info of outputs) engine().makeTensorFromTensorInfo(info).dispose();
    return null;
  }
  // map keeps the tuples' lengths, which its array types do not say.
  return { outputs, views } as unknown as Float32Outputs<I, S>;
}
