import type { Sgemm } from '../../native/openblas.js';
import type { Product } from './fused-loops.js';

/** A weight W [height, width] fixed over a sequence, read afresh per call (a wasm heap may move). */
export interface ProductWeight {
  readonly view: () => Float32Array;
  readonly height: number;
  readonly width: number;
}

/**
 * The per-step product a [rows, k] · W (forward) or a · Wᵀ (`transposed`, backward) through
 * OpenBLAS on W's own storage: zero-copy, BLAS reads W transposed, nothing allocated in the loop.
 */
export function sgemmProduct(
  sgemm: Sgemm,
  weight: ProductWeight,
  rows: number,
  transposed: boolean,
): Product {
  const { height, width } = weight;
  const [k, n] = transposed ? [width, height] : [height, width];
  return {
    run: (a, lda, out) =>
      sgemm({
        transA: false,
        transB: transposed,
        m: rows,
        n,
        k,
        a,
        lda,
        b: weight.view(),
        ldb: transposed ? k : n,
        beta: 0,
        c: out,
        ldc: n,
      }),
    dispose: () => undefined,
  };
}
