/** One matrix product over rank-≥2 operands, laid out for row-major sgemm calls. */
export interface GemmPlan {
  /** Rows of op(A) per call. */
  readonly m: number;
  /** Columns of op(B) per call. */
  readonly n: number;
  /** Shared inner dimension. */
  readonly k: number;
  readonly transA: boolean;
  readonly transB: boolean;
  /** Leading dimensions of A and B as stored (row length). */
  readonly lda: number;
  readonly ldb: number;
  /** Number of products (sgemm calls). */
  readonly calls: number;
  /** Where each product's A, B and C start. */
  readonly offsets: ProductOffsets;
  /** Output shape: broadcast batch dims then [M, N]. */
  readonly outShape: readonly number[];
}

/**
 * Element offsets of product t's A, B and C: t times a step each ('even': the batches match, or an
 * operand is broadcast whole with step 0), or listed per product where a partial broadcast
 * ([2, 3] against [3]) makes them repeat.
 */
export type ProductOffsets =
  | { readonly kind: 'even'; readonly a: number; readonly b: number; readonly c: number }
  | {
      readonly kind: 'listed';
      readonly a: readonly number[];
      readonly b: readonly number[];
      readonly c: readonly number[];
    };

/** Element offsets of product `t`'s A, B and C. */
export function productOffsets(offsets: ProductOffsets, t: number): [number, number, number] {
  if (offsets.kind === 'even') return [t * offsets.a, t * offsets.b, t * offsets.c];
  return [offsets.a[t]!, offsets.b[t]!, offsets.c[t]!];
}

/** Inputs to `planGemm`: shapes as tfjs gives them and the two transpose flags. */
export interface GemmShapes {
  aShape: readonly number[];
  bShape: readonly number[];
  transposeA: boolean;
  transposeB: boolean;
}

const product = (dims: readonly number[]): number => dims.reduce((p, d) => p * d, 1);

/** Row-major strides of a shape, with 0 where a dim of size 1 is broadcast to `target`. */
function broadcastStrides(dims: readonly number[], target: readonly number[]): number[] {
  const pad = target.length - dims.length;
  const strides = new Array<number>(target.length).fill(0);
  let stride = 1;
  for (let i = target.length - 1; i >= pad; i--) {
    const d = dims[i - pad] ?? 1;
    strides[i] = d === 1 && (target[i] ?? 1) !== 1 ? 0 : stride;
    stride *= d;
  }
  return strides;
}

/** numpy-style broadcast of two batch shapes, or null when they are incompatible. */
export function broadcastBatch(a: readonly number[], b: readonly number[]): number[] | null {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out.push(Math.max(da, db));
  }
  return out;
}

/**
 * Plans a (batched, broadcast) matmul as a list of sgemm calls, or returns null for shapes the
 * reference kernel should handle (rank < 2, mismatched inner dims, empty operands).
 * When B carries no batch and A is not transposed, A's batch folds into M: one large GEMM
 * instead of many small ones — the common case of a dense layer applied to a [B, L, C] tensor.
 */
export function planGemm({ aShape, bShape, transposeA, transposeB }: GemmShapes): GemmPlan | null {
  const ra = aShape.length;
  const rb = bShape.length;
  if (ra < 2 || rb < 2) return null;
  const [a0, a1] = [aShape[ra - 2] ?? 0, aShape[ra - 1] ?? 0];
  const [b0, b1] = [bShape[rb - 2] ?? 0, bShape[rb - 1] ?? 0];
  const m = transposeA ? a1 : a0;
  const k = transposeA ? a0 : a1;
  const n = transposeB ? b0 : b1;
  if ((transposeB ? b1 : b0) !== k || m === 0 || n === 0 || k === 0) return null;
  const batchA = aShape.slice(0, -2);
  const batchB = bShape.slice(0, -2);
  const batch = broadcastBatch(batchA, batchB);
  if (batch === null) return null;
  const outShape = [...batch, m, n];
  const common = { n, k, transA: transposeA, transB: transposeB, lda: a1, ldb: b1, outShape };
  if (product(batchB) === 1 && !transposeA) {
    // [..., M, K] rows are contiguous, so the whole batch is one [batch*M, K] operand.
    const offsets = { kind: 'even', a: 0, b: 0, c: 0 } as const;
    return { ...common, m: m * product(batch), calls: 1, offsets };
  }
  const sa = broadcastStrides(batchA, batch);
  const sb = broadcastStrides(batchB, batch);
  const aStep = evenStep(sa, batch);
  const bStep = evenStep(sb, batch);
  const offsets: ProductOffsets =
    aStep !== null && bStep !== null
      ? { kind: 'even', a: aStep * m * k, b: bStep * k * n, c: m * n }
      : listedOffsets(batch, [sa, sb], [m * k, k * n, m * n]);
  return { ...common, m, calls: product(batch), offsets };
}

/**
 * The step between consecutive flat batch indices of an operand with these broadcast strides
 * (batch entries), or null when the flat index does not map to it linearly: each batch dim of size
 * above 1 must step by the inner dims' span times the innermost one's step (0 when broadcast).
 */
function evenStep(strides: readonly number[], batch: readonly number[]): number | null {
  let step: number | null = null;
  let span = 1;
  for (let d = batch.length - 1; d >= 0; d--) {
    const size = batch[d] ?? 1;
    if (size === 1) continue;
    const stride = strides[d] ?? 0;
    if (step === null) step = stride;
    else if (stride !== step * span) return null;
    span *= size;
  }
  return step ?? 0;
}

/** Offsets of every product by walking the batch coordinates; sizes are A's, B's and C's per product. */
function listedOffsets(
  batch: readonly number[],
  [sa, sb]: readonly [readonly number[], readonly number[]],
  [aSize, bSize, cSize]: readonly [number, number, number],
): ProductOffsets {
  const calls = product(batch);
  const a: number[] = [];
  const b: number[] = [];
  const c: number[] = [];
  for (let flat = 0; flat < calls; flat++) {
    let rest = flat;
    let ia = 0;
    let ib = 0;
    for (let d = batch.length - 1; d >= 0; d--) {
      const size = batch[d] ?? 1;
      const coord = rest % size;
      rest = (rest - coord) / size;
      ia += coord * (sa[d] ?? 0);
      ib += coord * (sb[d] ?? 0);
    }
    a.push(ia * aSize);
    b.push(ib * bSize);
    c.push(flat * cSize);
  }
  return { kind: 'listed', a, b, c };
}
