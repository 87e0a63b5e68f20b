/**
 * A recurrent layer's whole time loop as one op with its own gradient: projected input
 * [B, T, G·H], W_hh [H, G·H] and optional b_hh [G·H] -> every step's h [B, T, H]; an LSTM may also
 * take W_hr [H, P] (PyTorch's `proj_size`), its h [B, T, P] then being the projected output that
 * W_hh [P, G·H] reads back. The step-by-step
 * path (unroll.ts) runs ~8 small tf ops per step forward and their tape backward — hundreds of
 * kernel calls, allocations and passes per layer; here the forward is one kernel running a loop
 * with one GEMM and one fused pass over the gates per step, and the backward one kernel running
 * BPTT the same way (fused-loops.ts), plus one GEMM over all steps for dW_hh (and dW_hr) and a sum
 * for db_hh.
 *
 * Which GEMM runs the per-step products (see {@link createProduct}):
 *   - OpenBLAS' sgemm on views of the tensors, on cpu and wasm, wherever `enableNativeMatmul` has
 *     enabled the native path for that backend (the engine's default where libopenblas loads);
 *   - on wasm without it, the backend's own BatchMatMul kernel (XNNPACK, SIMD) on a staged input;
 *   - on cpu without it, a plain JavaScript loop.
 * Other backends (tfjs-node) have no such kernel and callers keep the step-by-step path.
 *
 * With `timeMajor` the op takes x [T, B, G·H] and returns h [T, B, P] (its gradients likewise): a
 * stack run time-major hands each layer's output to the next as is, reads every step as one block,
 * and runs a dilated layer on its input reshaped rather than transposed (DilatedRNN).
 *
 * An LSTM or GRU may also start from a given state h_0 (and c_0) and hand its final state on
 * ({@link fusedSequenceWithState}), as TFT's encoder and decoder do; the op then differentiates the
 * initial state too, and an LSTM's final c leaves the op as one extra step of its output so a
 * single-output custom gradient can receive dL/dc_T.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import {
  backendMemory,
  NATIVE_BACKENDS,
  type BackendMemory,
  type NativeBackendName,
  type WasmBackendLike,
} from '../../native/backend-memory.js';
import { wasmSimd, type WasmSimd } from '../../backend/simd/wasm-simd.js';
import { registerOnce } from '../../backend/wasm-kernel.js';
import { nativeSgemm, withOneNativeThread } from '../../native/enable.js';
import {
  AUX_BLOCKS,
  backwardLoop,
  forwardLoop,
  GATES,
  type FusedKind,
  type LoopProducts,
  type Product,
  type SequenceDims,
} from './fused-loops.js';
import type { SharedWeight } from './loop-job.js';
import { BACKWARD_ROWS, FORWARD_ROWS } from './loop-rows.js';
import { sgemmProduct } from './sgemm-product.js';
import {
  backwardLoopSimd,
  forwardLoopSimd,
  simdLoopsFit,
  type BackwardPointers,
  type ForwardPointers,
  type HeapView,
  type LoopMemory,
} from './simd-loops.js';
import { runInWindows, windowRows } from './split-loops.js';

export const RECURRENT_FORWARD = 'NflabRecurrentForward';
export const RECURRENT_BACKWARD = 'NflabRecurrentBackward';

interface DisposingBackend {
  disposeData(dataId: object): void;
}

let simdLoops = true;

/**
 * Turns the SIMD gate kernels (simd-loops.ts) off or on again, for A/B comparisons with the
 * JavaScript loops on the wasm backend (tests and benches); they are on by default.
 */
export const setFusedSimdLoops = (enabled: boolean): void => {
  simdLoops = enabled;
};

/** The wasm backend's SIMD kernels when their step kernels serve a layer of `hidden` units, else null. */
const stepKernels = (name: NativeBackendName, backend: unknown, hidden: number): WasmSimd | null =>
  simdLoops && name === 'wasm' && simdLoopsFit(hidden) ? wasmSimd(backend) : null;

/** The wasm backend's whole memory as floats, viewed afresh only after it has grown. */
const wasmHeap = (backend: unknown): HeapView => {
  const { wasm } = backend as WasmBackendLike;
  let view = new Float32Array(wasm.HEAPU8.buffer);
  return () => {
    if (view.buffer !== wasm.HEAPU8.buffer) view = new Float32Array(wasm.HEAPU8.buffer);
    return view;
  };
};

/** Byte offset of a tensor in the wasm memory; 0 (the kernels' "absent") for none. */
const offsetOf = (simd: WasmSimd, info: TensorInfo | null | undefined): number => {
  if (!info) return 0;
  const offset = simd.offset(info);
  if (offset === null) throw new Error(`${RECURRENT_FORWARD}: tensors must be float32`);
  return offset;
};

/** What the SIMD loops read and write: the heap view and each named tensor's byte offset. */
const simdMemory = <Name extends string>(
  simd: WasmSimd,
  backend: unknown,
  tensors: Record<Name, TensorInfo | null | undefined>,
): { heap: HeapView; at: Record<Name, number> } => {
  const entries = Object.entries(tensors) as [Name, TensorInfo | null | undefined][];
  const at = Object.fromEntries(entries.map(([name, info]) => [name, offsetOf(simd, info)]));
  return { heap: wasmHeap(backend), at: at as Record<Name, number> };
};

/**
 * Multiply-adds of one step's recurrent product above which OpenBLAS keeps all its threads: 2^24,
 * twice the product of NeuralForecast's LSTM defaults at batch 128 ([128, 128]·[128, 512]), where
 * waking the threads every step costs more than they save (see withOneNativeThread). DeepAR's
 * batch of 1024 and DilatedRNN's dilated batches (rate × 128) are large enough to split.
 */
export const THREADED_STEP_PRODUCT = 2 ** 24;

let threadedStepProduct = THREADED_STEP_PRODUCT;

/**
 * Sets the multiply-adds of one step's product from which the loops keep every BLAS thread (0: all
 * of them threaded), for A/B comparisons; without an argument, back to {@link THREADED_STEP_PRODUCT}.
 */
export const setThreadedStepProduct = (macs: number = THREADED_STEP_PRODUCT): void => {
  threadedStepProduct = macs;
};

/**
 * Runs a loop with one BLAS thread for small per-step products, with all of them for large ones —
 * and always with one when the rows run as two windows (`half` > 0): each window's loop then has a
 * core of its own, and the products' rounding must not depend on whether the worker ran.
 */
const loopThreads = <T>(half: number, rows: number, weightHh: TensorInfo, fn: () => T): T =>
  half === 0 && rows * weightHh.shape[0]! * weightHh.shape[1]! >= threadedStepProduct
    ? fn()
    : withOneNativeThread(fn);

/** W_hh's byte offset in the heap and its shape, for the row split's worker. */
const sharedWeight = (simd: WasmSimd, weightHh: TensorInfo): SharedWeight => ({
  at: offsetOf(simd, weightHh),
  height: weightHh.shape[0]!,
  width: weightHh.shape[1]!,
});

const free = (backend: unknown, info: TensorInfo | null): void => {
  if (info) (backend as DisposingBackend).disposeData(info.dataId);
};

const viewOf = (mem: BackendMemory, info: TensorInfo): Float32Array => {
  const view = mem.view(info);
  if (view === null) throw new Error(`${RECURRENT_FORWARD}: tensors must be float32`);
  return view;
};

/**
 * a [rows, k] · M in JavaScript, M [k, n] copied out once. Four rows at a time share each load of
 * M's row (about twice the one-row loop's speed in V8); per element the sum runs in p order.
 */
const jsProduct = (m: Float32Array, rows: number, k: number, n: number): Product => ({
  run: (a, lda, out) => {
    out.fill(0, 0, rows * n);
    let r = 0;
    for (; r + 4 <= rows; r += 4) {
      const ao = r * lda;
      const c0 = r * n;
      const [c1, c2, c3] = [c0 + n, c0 + 2 * n, c0 + 3 * n];
      for (let p = 0; p < k; p++) {
        const a0 = a[ao + p]!;
        const a1 = a[ao + lda + p]!;
        const a2 = a[ao + 2 * lda + p]!;
        const a3 = a[ao + 3 * lda + p]!;
        const mo = p * n;
        for (let j = 0; j < n; j++) {
          const mv = m[mo + j]!;
          out[c0 + j] = out[c0 + j]! + a0 * mv;
          out[c1 + j] = out[c1 + j]! + a1 * mv;
          out[c2 + j] = out[c2 + j]! + a2 * mv;
          out[c3 + j] = out[c3 + j]! + a3 * mv;
        }
      }
    }
    for (; r < rows; r++) {
      const ao = r * lda;
      const co = r * n;
      for (let p = 0; p < k; p++) {
        const av = a[ao + p]!;
        const mo = p * n;
        for (let j = 0; j < n; j++) out[co + j] = out[co + j]! + av * m[mo + j]!;
      }
    }
  },
  dispose: () => undefined,
});

/**
 * a · M through a backend's BatchMatMul kernel: M staged once as a [1, k, n] tensor, the rows of
 * a copied into one [1, rows, k] tensor reused every step, the product copied out and freed.
 */
const kernelProduct = (
  options: { kernel: KernelFunc; backend: unknown; mem: BackendMemory },
  m: Float32Array,
  rows: number,
  k: number,
  n: number,
): Product => {
  const { kernel, backend, mem } = options;
  const staged = mem.alloc([1, k, n]);
  viewOf(mem, staged).set(m);
  const input = mem.alloc([1, rows, k]);
  const free = (info: TensorInfo): void => (backend as DisposingBackend).disposeData(info.dataId);
  return {
    run: (a, lda, out) => {
      const av = viewOf(mem, input);
      for (let r = 0; r < rows; r++) av.set(a.subarray(r * lda, r * lda + k), r * k);
      const product = kernel({
        inputs: { a: input, b: staged },
        backend: backend as Parameters<KernelFunc>[0]['backend'],
        attrs: { transposeA: false, transposeB: false },
      }) as TensorInfo;
      out.set(viewOf(mem, product)); // read after the kernel: its output may have grown the heap
      free(product);
    },
    dispose: () => {
      free(input);
      free(staged);
    },
  };
};

/**
 * The per-step product with a weight W [r, c] fixed over the sequence — W_hh [H, G·H] or W_hr
 * [H, P] — (forward: a · W) or its transpose (backward: a · Wᵀ), on the fastest GEMM at hand for
 * this backend (see the module comment).
 */
function createProduct(
  name: NativeBackendName,
  backend: unknown,
  weight: TensorInfo,
  options: { rows: number; transposed: boolean },
): Product {
  const mem = backendMemory(name, backend);
  const { rows, transposed } = options;
  const [height, width] = weight.shape as [number, number];
  const [k, n] = transposed ? [width, height] : [height, width];
  const sgemm = nativeSgemm(name);
  if (sgemm) return sgemmProduct(sgemm, { view: () => viewOf(mem, weight), height, width }, rows, transposed);
  const w = viewOf(mem, weight); // [r, c]
  const m = new Float32Array(k * n); // [k, n]
  if (!transposed) m.set(w);
  else for (let i = 0; i < height; i++) for (let j = 0; j < width; j++) m[j * height + i] = w[i * width + j]!;
  const matMul = name === 'wasm' ? tf.getKernel(tf.BatchMatMul, 'wasm') : undefined;
  return matMul
    ? kernelProduct({ kernel: matMul.kernelFunc, backend, mem }, m, rows, k, n)
    : jsProduct(m, rows, k, n);
}

/** W_hh's product, and W_hr's for a projected LSTM, for a batch of B (transposed: backward). */
function createProducts(
  name: NativeBackendName,
  backend: unknown,
  weights: { weightHh: TensorInfo; weightHr: TensorInfo | undefined },
  options: { rows: number; transposed: boolean },
): LoopProducts & { dispose(): void } {
  const recurrent = createProduct(name, backend, weights.weightHh, options);
  const projection = weights.weightHr ? createProduct(name, backend, weights.weightHr, options) : undefined;
  return {
    recurrent,
    ...(projection ? { projection } : {}),
    dispose: () => {
      recurrent.dispose();
      projection?.dispose();
    },
  };
}

const forwardKernel =
  (name: NativeBackendName): KernelFunc =>
  ({ inputs, backend, attrs }) => {
    const { kind, timeMajor } = attrs as unknown as { kind: FusedKind; timeMajor?: boolean };
    const x = inputs.x as TensorInfo; // [B, T, G·H] ([T, B, G·H] time-major, and so on below)
    const weightHh = inputs.weightHh as TensorInfo; // [P, G·H]
    const bias = inputs.biasHh as TensorInfo | undefined; // [G·H]
    const weightHr = inputs.weightHr as TensorInfo | undefined; // [H, P], projected LSTM only
    const h0 = inputs.h0 as TensorInfo | undefined; // [B, H], initial state (zero when absent)
    const c0 = inputs.c0 as TensorInfo | undefined; // [B, H], LSTM only
    const [B, T] = timeMajor ? [x.shape[1]!, x.shape[0]!] : [x.shape[0]!, x.shape[1]!];
    const H = weightHh.shape[1]! / GATES[kind];
    const P = weightHr ? weightHr.shape[1]! : H;
    const mem = backendMemory(name, backend);
    // Allocate every output before any view: growing the wasm heap detaches earlier views.
    const lead = timeMajor ? [T, B] : [B, T];
    const y = mem.alloc([...lead, P]);
    const aux = AUX_BLOCKS[kind] > 0 ? mem.alloc([T, B, AUX_BLOCKS[kind] * H]) : null; // time-major always
    const hFull = weightHr ? mem.alloc([...lead, H]) : null;
    const simd = stepKernels(name, backend, H);
    const half = simd && !weightHr ? windowRows(B) : 0; // the row split (split-loops.ts)
    // The SIMD kernels read their scratch from the module's memory too.
    const recurrent = simd ? mem.alloc([B, GATES[kind] * H]) : null;
    const projected = simd && weightHr ? mem.alloc([B, P]) : null;
    const products = createProducts(
      name,
      backend,
      { weightHh, weightHr },
      { rows: half || B, transposed: false },
    );
    const dims = { batch: B, steps: T, hidden: H, output: P, timeMajor: timeMajor === true };
    try {
      loopThreads(half, B, weightHh, () => {
        if (simd) {
          const tensors = { x, bias, y, aux, hFull: hFull ?? y, h0, c0, recurrent, projected };
          const memory = simdMemory(simd, backend, tensors);
          const runHere = (d: SequenceDims, m: LoopMemory<ForwardPointers>): void =>
            forwardLoopSimd(kind, d, products, m, simd.kernels.recurrent);
          const rows = { dims, table: FORWARD_ROWS, memory, half, runHere };
          runInWindows({
            ...rows,
            direction: 'forward',
            kind,
            weight: sharedWeight(simd, weightHh),
            bias: memory.at.bias,
          });
          return;
        }
        const empty = new Float32Array(0);
        forwardLoop(kind, dims, products, () => {
          const ys = viewOf(mem, y);
          return {
            x: viewOf(mem, x),
            bias: bias ? viewOf(mem, bias) : null,
            y: ys,
            aux: aux ? viewOf(mem, aux) : empty,
            hFull: hFull ? viewOf(mem, hFull) : ys,
            h0: h0 ? viewOf(mem, h0) : null,
            c0: c0 ? viewOf(mem, c0) : null,
          };
        });
      });
    } finally {
      products.dispose();
      free(backend, recurrent);
      free(backend, projected);
    }
    return [y, ...(aux ? [aux] : []), ...(hFull ? [hFull] : [])];
  };

const backwardKernel =
  (name: NativeBackendName): KernelFunc =>
  ({ inputs, backend, attrs }) => {
    const { kind, timeMajor } = attrs as unknown as { kind: FusedKind; timeMajor?: boolean };
    const dy = inputs.dy as TensorInfo; // [B, T, P] ([T, B, P] time-major, and so on below)
    const y = inputs.y as TensorInfo; // [B, T, P]
    const aux = inputs.aux as TensorInfo | undefined; // [T, B, A·H]
    const weightHh = inputs.weightHh as TensorInfo; // [P, G·H]
    const weightHr = inputs.weightHr as TensorInfo | undefined; // [H, P], projected LSTM only
    const h0 = inputs.h0 as TensorInfo | undefined; // [B, H]
    const c0 = inputs.c0 as TensorInfo | undefined; // [B, H]
    const dcT = inputs.dcT as TensorInfo | undefined; // [B, H]
    const { initial } = attrs as unknown as { initial?: boolean };
    const [B, T] = timeMajor ? [y.shape[1]!, y.shape[0]!] : [y.shape[0]!, y.shape[1]!];
    const P = y.shape[2]!;
    const width = weightHh.shape[1]!;
    const H = width / GATES[kind];
    const mem = backendMemory(name, backend);
    const lead = timeMajor ? [T, B] : [B, T];
    const dx = mem.alloc([...lead, width]);
    const hPrev = mem.alloc([...lead, P]);
    const dRecurrent = kind === 'gru' ? mem.alloc([...lead, width]) : dx;
    const dh = weightHr ? mem.alloc([...lead, P]) : null;
    const dh0 = initial ? mem.alloc([B, P]) : null;
    const dc0 = initial && kind === 'lstm' ? mem.alloc([B, H]) : null;
    const simd = stepKernels(name, backend, H);
    const half = simd && !weightHr ? windowRows(B) : 0; // the row split (split-loops.ts)
    // The SIMD kernels read their scratch from the module's memory too.
    const dhRecurrent = simd ? mem.alloc([B, P]) : null;
    const carry = simd ? mem.alloc([B, H]) : null;
    const dhFull = simd && weightHr ? mem.alloc([B, H]) : null;
    const products = createProducts(
      name,
      backend,
      { weightHh, weightHr },
      { rows: half || B, transposed: true },
    );
    const dims = { batch: B, steps: T, hidden: H, output: P, timeMajor: timeMajor === true };
    try {
      loopThreads(half, B, weightHh, () => {
        if (simd) {
          // prettier-ignore
          const tensors = {
            dy, y, aux, dx, dRecurrent, dh, h0, c0, dcT, dh0, dc0, dhRecurrent, carry, dhFull,
          };
          const memory = simdMemory(simd, backend, tensors);
          const runHere = (d: SequenceDims, m: LoopMemory<BackwardPointers>): void =>
            backwardLoopSimd(kind, d, products, m, simd.kernels.recurrent);
          const rows = { dims, table: BACKWARD_ROWS, memory, half, runHere };
          runInWindows({
            ...rows,
            direction: 'backward',
            kind,
            weight: sharedWeight(simd, weightHh),
            bias: 0,
          });
          return;
        }
        const empty = new Float32Array(0);
        backwardLoop(kind, dims, products, () => ({
          dy: viewOf(mem, dy),
          y: viewOf(mem, y),
          aux: aux ? viewOf(mem, aux) : empty,
          dx: viewOf(mem, dx),
          dRecurrent: viewOf(mem, dRecurrent),
          dh: dh ? viewOf(mem, dh) : empty,
          h0: h0 ? viewOf(mem, h0) : null,
          c0: c0 ? viewOf(mem, c0) : null,
          dcT: dcT ? viewOf(mem, dcT) : null,
          dh0: dh0 ? viewOf(mem, dh0) : null,
          dc0: dc0 ? viewOf(mem, dc0) : null,
        }));
      });
    } finally {
      products.dispose();
      free(backend, dhRecurrent);
      free(backend, carry);
      free(backend, dhFull);
    }
    // h_{t-1} of every step, [h_0, h_1, …, h_{T-1}] per window (h_0 zero unless given), for the
    // caller's dW_hh product: one shifted copy here instead of zeros, slice and concat ops (slow
    // generic loops on cpu). Time-major, that is y moved one step along.
    const [ys, shifted] = [viewOf(mem, y), viewOf(mem, hPrev)];
    const start = h0 ? viewOf(mem, h0) : null;
    if (timeMajor) {
      if (start) shifted.set(start.subarray(0, B * P));
      else shifted.fill(0, 0, B * P);
      shifted.set(ys.subarray(0, (T - 1) * B * P), B * P);
    } else
      for (let b = 0; b < B; b++) {
        const row = b * T * P;
        if (start) shifted.set(start.subarray(b * P, (b + 1) * P), row);
        else shifted.fill(0, row, row + P);
        shifted.set(ys.subarray(row, row + (T - 1) * P), row + P);
      }
    // [dx, h_{t-1}], then GRU's dRecurrent or a projected LSTM's dh, then dh_0 and dc_0.
    return [
      dx,
      hPrev,
      ...(dRecurrent === dx ? [] : [dRecurrent]),
      ...(dh ? [dh] : []),
      ...(dh0 ? [dh0] : []),
      ...(dc0 ? [dc0] : []),
    ];
  };

/** Registers both kernels for cpu and wasm (idempotent; registration does not load the backends). */
export const registerFusedSequenceKernels = registerOnce({
  backends: NATIVE_BACKENDS,
  kernels: (backendName) => ({
    [RECURRENT_FORWARD]: forwardKernel(backendName),
    [RECURRENT_BACKWARD]: backwardKernel(backendName),
  }),
});

type SequenceOp = (...args: tf.Tensor[]) => tf.Tensor3D;

/** Which optional weights an op takes (customGrad ops take a fixed list of tensors), and its layout. */
interface OpShape {
  readonly bias: boolean;
  readonly projection: boolean;
  readonly timeMajor: boolean;
}

/** The op for one kind and shape: inputs x, W_hh, then b_hh and W_hr where the shape has them. */
const createOp = (kind: FusedKind, shape: OpShape): SequenceOp =>
  tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const [x, weightHh, ...rest] = args as tf.Tensor[];
    const biasHh = shape.bias ? rest.shift() : undefined;
    const weightHr = shape.projection ? rest.shift() : undefined;
    const inputs: tf.NamedTensorMap = {
      x: x!,
      weightHh: weightHh!,
      ...(biasHh ? { biasHh } : {}),
      ...(weightHr ? { weightHr } : {}),
    };
    const attrs = { kind, timeMajor: shape.timeMajor } as unknown as tf.NamedAttrMap;
    const [y, ...saved] = tf.engine().runKernel(RECURRENT_FORWARD, inputs, attrs) as tf.Tensor[];
    // Saved: y, W_hh, then aux (LSTM, GRU), then hFull and W_hr (projected LSTM).
    save([y!, weightHh!, ...saved, ...(weightHr ? [weightHr] : [])]);
    return {
      value: y as tf.Tensor3D,
      gradFunc: (dy: tf.Tensor, kept: tf.Tensor[]) => {
        const [ys, w, ...more] = kept as [tf.Tensor3D, tf.Tensor2D, ...tf.Tensor[]];
        const aux = AUX_BLOCKS[kind] > 0 ? more.shift() : undefined;
        const [hFull, wHr] = more; // projected LSTM only
        const [B, T, P] = ys.shape; // [T, B, P] time-major: the products below sum over both alike
        const width = w.shape[1];
        const [dx, hPrev, ...extra] = tf
          .engine()
          .runKernel(
            RECURRENT_BACKWARD,
            { dy, y: ys, weightHh: w, ...(aux ? { aux } : {}), ...(wHr ? { weightHr: wHr } : {}) },
            attrs,
          ) as tf.Tensor[];
        const dRecurrent = kind === 'gru' ? extra.shift()! : dx!;
        const dRec = tf.reshape(dRecurrent, [B * T, width]); // [B·T, G·H]
        // dW_hh = Σ_t h_{t-1}ᵀ·dRecurrent_t as one [P, B·T]·[B·T, G·H] product.
        const grads = [dx!, tf.matMul(tf.reshape(hPrev!, [B * T, P]), dRec, true, false)];
        if (shape.bias) grads.push(tf.sum(dRec, 0));
        if (hFull && wHr) {
          // dW_hr = Σ_t hFull_tᵀ·dh_t as one [H, B·T]·[B·T, P] product.
          const H = hFull.shape[2]!;
          const dh = tf.reshape(extra[0]!, [B * T, P]); // [B·T, P]
          grads.push(tf.matMul(tf.reshape(hFull, [B * T, H]), dh, true, false));
        }
        return grads;
      },
    };
  }) as SequenceOp;

const ops = new Map<string, SequenceOp>();

/** A layer's recurrent weights as the fused op reads them. */
export interface SequenceWeights {
  /** [P, G·H] (P = H without a projection). */
  readonly weightHh: tf.Tensor;
  /** [G·H] */
  readonly biasHh?: tf.Tensor | undefined;
  /** [H, P]: a projected LSTM's W_hr (PyTorch's `weight_hr` transposed). */
  readonly weightHr?: tf.Tensor | undefined;
}

/** Options of {@link fusedSequence}. */
export interface FusedSequenceOptions {
  /** The projected input is [T, B, G·H] and the output [T, B, P]. @default false */
  readonly timeMajor?: boolean;
}

/** Whether the active backend has the fused kernels (else {@link fusedSequence} returns null). */
export function fusedSequenceAvailable(): boolean {
  registerFusedSequenceKernels();
  return tf.getKernel(RECURRENT_FORWARD, tf.getBackend()) !== undefined;
}

/**
 * Every step's h [B, T, P] of a recurrent layer run from a zero state, given its projected input
 * x W_ih + b_ih [B, T, G·H] and its recurrent weights (both [T, B, ·] with `timeMajor`); null where
 * the active backend has no fused kernel (the caller then runs the step-by-step path).
 */
export function fusedSequence(
  kind: FusedKind,
  projected: tf.Tensor3D,
  weights: SequenceWeights,
  options: FusedSequenceOptions = {},
): tf.Tensor3D | null {
  const { weightHh, biasHh, weightHr } = weights;
  if (weightHr && kind !== 'lstm') throw new Error(`${RECURRENT_FORWARD}: only an LSTM takes W_hr`);
  registerFusedSequenceKernels();
  if (tf.getKernel(RECURRENT_FORWARD, tf.getBackend()) === undefined) return null;
  if ([projected, weightHh, biasHh, weightHr].some((t) => t !== undefined && t.dtype !== 'float32'))
    return null;
  if (projected.size === 0) return null;
  const shape: OpShape = {
    bias: biasHh !== undefined,
    projection: weightHr !== undefined,
    timeMajor: options.timeMajor === true,
  };
  const key = [kind, shape.bias, shape.projection, shape.timeMajor].join('/');
  let op = ops.get(key);
  if (!op) ops.set(key, (op = createOp(kind, shape)));
  return op(projected, weightHh, ...(biasHh ? [biasHh] : []), ...(weightHr ? [weightHr] : []));
}

/** A recurrent layer's state between sequences: h, and c for an LSTM, each [B, H]. */
export interface SequenceState {
  readonly h: tf.Tensor2D;
  /** LSTM only. */
  readonly c?: tf.Tensor2D | undefined;
}

/** Every step's h and the state after the last step. */
export interface StatefulSequence {
  /** [B, T, H] */
  readonly outputs: tf.Tensor3D;
  readonly final: SequenceState;
}

/** Which optional tensors a stateful op takes and returns. */
interface StateShape {
  readonly bias: boolean;
  /** Takes h_0 (and c_0 for an LSTM). */
  readonly initial: boolean;
}

/**
 * The stateful op: inputs x, W_hh, then b_hh, h_0 and c_0 where the shape has them. An LSTM's value
 * is [B, T + 1, H], every step's h then c_T; a GRU's is [B, T, H] (its final state is h_T).
 */
const createStateOp = (kind: 'lstm' | 'gru', shape: StateShape): SequenceOp =>
  tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const [x, weightHh, ...rest] = args as tf.Tensor[];
    const biasHh = shape.bias ? rest.shift() : undefined;
    const h0 = shape.initial ? rest.shift() : undefined;
    const c0 = shape.initial && kind === 'lstm' ? rest.shift() : undefined;
    const inputs: tf.NamedTensorMap = {
      x: x!,
      weightHh: weightHh!,
      ...(biasHh ? { biasHh } : {}),
      ...(h0 ? { h0 } : {}),
      ...(c0 ? { c0 } : {}),
    };
    const attrs = { kind, initial: shape.initial } as unknown as tf.NamedAttrMap;
    const [y, aux] = tf.engine().runKernel(RECURRENT_FORWARD, inputs, attrs) as [tf.Tensor3D, tf.Tensor3D];
    const [B, T, H] = y.shape;
    save([y, weightHh!, aux, ...(h0 ? [h0] : []), ...(c0 ? [c0] : [])]);
    // c_T is the c block (the fifth of six) of the last step's aux [T, B, 6H]: [1, B, H] -> [B, 1, H].
    const cT = () => tf.reshape(tf.slice(aux, [T - 1, 0, 4 * H], [1, B, H]), [B, 1, H]);
    const value = kind === 'lstm' ? tf.concat([y, cT()], 1) : tf.clone(y);
    return {
      value: value as tf.Tensor3D,
      gradFunc: (dValue: tf.Tensor, kept: tf.Tensor[]) => {
        const [ys, w, auxSaved, ...initial] = kept as [tf.Tensor3D, tf.Tensor2D, tf.Tensor3D, ...tf.Tensor[]];
        const dy = kind === 'lstm' ? tf.slice(dValue, [0, 0, 0], [B, T, H]) : dValue;
        const dcT = kind === 'lstm' ? tf.reshape(tf.slice(dValue, [0, T, 0], [B, 1, H]), [B, H]) : undefined;
        const [h0Saved, c0Saved] = initial;
        const outputs = tf.engine().runKernel(
          RECURRENT_BACKWARD,
          {
            dy,
            y: ys,
            weightHh: w,
            aux: auxSaved,
            ...(h0Saved ? { h0: h0Saved } : {}),
            ...(c0Saved ? { c0: c0Saved } : {}),
            ...(dcT ? { dcT } : {}),
          },
          attrs,
        ) as tf.Tensor[];
        const [dx, hPrev] = outputs as [tf.Tensor, tf.Tensor];
        const dRecurrent = kind === 'gru' ? outputs[2]! : dx;
        const width = w.shape[1];
        const dRec = tf.reshape(dRecurrent, [B * T, width]); // [B·T, G·H]
        // dW_hh = Σ_t h_{t-1}ᵀ·dRecurrent_t, h_{-1} being h_0, as one [H, B·T]·[B·T, G·H] product.
        const grads = [dx, tf.matMul(tf.reshape(hPrev, [B * T, H]), dRec, true, false)];
        if (shape.bias) grads.push(tf.sum(dRec, 0));
        if (shape.initial) grads.push(...outputs.slice(kind === 'gru' ? 3 : 2)); // dh_0 (, dc_0)
        return grads;
      },
    };
  }) as SequenceOp;

const stateOps = new Map<string, SequenceOp>();

/**
 * An LSTM or GRU layer run over its projected input x W_ih + b_ih [B, T, G·H] from `initial` (zero
 * when absent): every step's h [B, T, H] and the final state, differentiable w.r.t. the input, the
 * weights and the initial state. Null where the active backend has no fused kernel (the caller then
 * steps through with unroll.ts's `stepLayer`).
 */
export function fusedSequenceWithState(
  kind: 'lstm' | 'gru',
  projected: tf.Tensor3D,
  weights: SequenceWeights,
  initial?: SequenceState,
): StatefulSequence | null {
  const { weightHh, biasHh } = weights;
  if (weights.weightHr) throw new Error(`${RECURRENT_FORWARD}: a projected LSTM takes no initial state`);
  if (initial && kind === 'lstm' && !initial.c)
    throw new Error(`${RECURRENT_FORWARD}: an LSTM's state needs c`);
  registerFusedSequenceKernels();
  if (tf.getKernel(RECURRENT_FORWARD, tf.getBackend()) === undefined) return null;
  const tensors = [projected, weightHh, biasHh, initial?.h, initial?.c];
  if (tensors.some((t) => t !== undefined && t.dtype !== 'float32')) return null;
  if (projected.size === 0) return null;
  const shape: StateShape = { bias: biasHh !== undefined, initial: initial !== undefined };
  const key = `${kind}/${shape.bias ? 'bias' : 'none'}/${shape.initial ? 'initial' : 'zero'}`;
  let op = stateOps.get(key);
  if (!op) stateOps.set(key, (op = createStateOp(kind, shape)));
  const args = [
    projected,
    weightHh,
    ...(biasHh ? [biasHh] : []),
    ...(initial ? [initial.h, ...(kind === 'lstm' ? [initial.c!] : [])] : []),
  ];
  return tf.tidy(() => {
    const value = op(...args);
    const [B, , H] = value.shape;
    const T = projected.shape[1];
    const outputs = tf.slice(value, [0, 0, 0], [B, T, H]);
    const h = tf.reshape(tf.slice(value, [0, T - 1, 0], [B, 1, H]), [B, H]) as tf.Tensor2D;
    const c =
      kind === 'lstm'
        ? (tf.reshape(tf.slice(value, [0, T, 0], [B, 1, H]), [B, H]) as tf.Tensor2D)
        : undefined;
    // tidy keeps the tensors nested in the returned object.
    return { outputs, final: { h, ...(c ? { c } : {}) } } as unknown as tf.TensorContainer;
  }) as unknown as StatefulSequence;
}
