/**
 * kernels.wat's batchedGemm against a plain triple loop, called directly over a memory of its own:
 * every transpose form, sizes off the kernel's 4×8 and 2×4 tiles (odd m, n, k), products spaced
 * with gaps between them, a broadcast operand (stride 0), rows longer than the product (lda, ldb),
 * accumulation onto C, A·Bᵀ with and without the transposing scratch — and all of it again with
 * every operand above 2 GiB, where byte offsets are past the signed 32-bit range.
 */
import { describe, expect, it } from 'vitest';
import type { WasmBackendLike } from '../src/native/backend-memory.js';
import { wasmSimd, type WasmSimd } from '../src/backend/simd/wasm-simd.js';
import { seededValues, TRANSPOSE_COMBOS } from './native-fixtures.js';

const PAGE = 65536;
const TWO_GIB = 2 ** 31;

interface Case {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  calls: number;
  /** Extra floats at the end of each stored row of A and of B. */
  pad: number;
  /** Floats between consecutive products' operands (-1: B broadcast, stride 0). */
  gap: number;
  accumulate: boolean;
  scratch: boolean;
}

/** The kernels bound to a memory of `bytes`, as wasm-simd.ts binds them to a backend's heap. */
function kernelsOver(bytes: number): { simd: WasmSimd; heap: Float32Array } | null {
  const WebAssembly = (
    globalThis as unknown as { WebAssembly: { Memory: new (d: object) => { buffer: ArrayBuffer } } }
  ).WebAssembly;
  let memory: { buffer: ArrayBuffer };
  try {
    memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / PAGE), maximum: 65536 });
  } catch {
    return null; // no 2 GiB of address space for the high-offset run
  }
  const backend = { wasm: { asm: { memory } }, dataIdMap: new Map() } as unknown as WasmBackendLike;
  const simd = wasmSimd(backend);
  return simd === null ? null : { simd, heap: new Float32Array(memory.buffer) };
}

/** C_t = op(A_t)·op(B_t) (+ C_t), in float64, from the same strided layout the kernel reads. */
function reference(heap: Float32Array, at: Layout, c: Case): Float64Array {
  const { m, n, k, transA, transB, calls } = c;
  const out = new Float64Array(calls * m * n);
  for (let t = 0; t < calls; t++)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = c.accumulate ? heap[at.c + t * at.cStride + i * n + j]! : 0;
        for (let p = 0; p < k; p++) {
          const a = heap[at.a + t * at.aStride + (transA ? p * at.lda + i : i * at.lda + p)]!;
          const b = heap[at.b + t * at.bStride + (transB ? j * at.ldb + p : p * at.ldb + j)]!;
          s += a * b;
        }
        out[t * m * n + i * n + j] = s;
      }
  return out;
}

/** Float indices of the operands in the heap, from `base` on, and their strides in floats. */
interface Layout {
  a: number;
  b: number;
  c: number;
  s: number;
  aStride: number;
  bStride: number;
  cStride: number;
  lda: number;
  ldb: number;
}

function layout(c: Case, base: number): Layout {
  const lda = (c.transA ? c.m : c.k) + c.pad;
  const ldb = (c.transB ? c.k : c.n) + c.pad;
  const aSize = (c.transA ? c.k : c.m) * lda;
  const bSize = (c.transB ? c.n : c.k) * ldb;
  const gap = Math.max(c.gap, 0);
  const aStride = aSize + gap;
  const bStride = c.gap < 0 ? 0 : bSize + gap;
  const cStride = c.m * c.n + gap;
  const a = base;
  const b = a + c.calls * aStride + 4;
  const cc = b + c.calls * Math.max(bStride, bSize) + 4;
  const s = cc + c.calls * cStride + 4;
  return { a, b, c: cc, s, aStride, bStride, cStride, lda, ldb };
}

function check(simd: WasmSimd, heap: Float32Array, c: Case, base: number): void {
  const at = layout(c, base);
  const end = at.s + c.n * c.k;
  heap.set(seededValues([end - base], 7 + c.m * 31 + c.n * 7 + c.k), base);
  const expected = reference(heap, at, c);
  const magnitude = c.k + (c.accumulate ? 1 : 0);
  // Everything but the C blocks and the scratch must be left as it was.
  const before = heap.slice(base, end);
  simd.kernels.batchedGemm(
    {
      a: at.a * 4,
      aStride: at.aStride * 4,
      b: at.b * 4,
      bStride: at.bStride * 4,
      c: at.c * 4,
      cStride: at.cStride * 4,
      scratch: c.scratch ? at.s * 4 : 0,
    },
    { calls: c.calls, m: c.m, n: c.n, k: c.k, lda: at.lda, ldb: at.ldb, transA: c.transA, transB: c.transB },
    c.accumulate,
  );
  let worst = 0;
  for (let t = 0; t < c.calls; t++)
    for (let e = 0; e < c.m * c.n; e++) {
      const got = heap[at.c + t * at.cStride + e]!;
      worst = Math.max(worst, Math.abs(got - expected[t * c.m * c.n + e]!));
    }
  // float32 sums of ≤ magnitude terms of size ≤ 1 in another order.
  expect(worst).toBeLessThan(magnitude * 1e-6);
  // Nothing outside the C blocks (and the scratch) changed.
  const inC = (x: number): boolean => {
    const r = x - at.c;
    return r >= 0 && r < c.calls * at.cStride && r % at.cStride < c.m * c.n;
  };
  for (let x = base; x < at.s; x++) if (!inC(x)) expect(heap[x]).toBe(before[x - base]);
}

/** [m, n, k]: full 4×8 tiles, a 4-column tile, column, row and k tails, and tiny products. */
const SIZES = [
  [24, 24, 32],
  [24, 32, 24],
  [13, 19, 11],
  [4, 4, 4],
  [5, 9, 6],
  [8, 12, 3],
  [7, 13, 1],
  [3, 3, 8],
  [2, 5, 7],
  [1, 1, 1],
] as const;

const cases = (): Case[] =>
  TRANSPOSE_COMBOS.flatMap(([transA, transB]) =>
    SIZES.flatMap(([m, n, k], i) => [
      { m, n, k, transA, transB, calls: 3, pad: 0, gap: 0, accumulate: false, scratch: true },
      { m, n, k, transA, transB, calls: 3, pad: 1 + (i % 3), gap: 5, accumulate: i % 2 === 0, scratch: true },
      { m, n, k, transA, transB, calls: 2, pad: 0, gap: -1, accumulate: true, scratch: false },
    ]),
  );

const label = (c: Case): string =>
  `${c.transA ? 'T' : 'N'}${c.transB ? 'T' : 'N'} ${c.m}×${c.n}×${c.k} pad ${c.pad} gap ${c.gap}` +
  `${c.accumulate ? ' +C' : ''}${c.scratch ? '' : ' no scratch'}`;

describe('batchedGemm against a plain loop', () => {
  it('matches at every form, odd sizes, strided and broadcast batches, with and without scratch', () => {
    const bound = kernelsOver(16 * 2 ** 20);
    expect(bound).not.toBeNull();
    for (const c of cases()) {
      try {
        check(bound!.simd, bound!.heap, c, 1024 + 1);
      } catch (error) {
        throw new Error(`${label(c)}: ${String(error)}`);
      }
    }
  });

  it('matches with every operand above 2 GiB of heap (unsigned byte offsets)', (ctx) => {
    const bound = kernelsOver(TWO_GIB + 16 * 2 ** 20);
    if (bound === null) return ctx.skip();
    for (const c of cases()) {
      try {
        check(bound.simd, bound.heap, c, TWO_GIB / 4 + 3);
      } catch (error) {
        throw new Error(`${label(c)}: ${String(error)}`);
      }
    }
  });
});
