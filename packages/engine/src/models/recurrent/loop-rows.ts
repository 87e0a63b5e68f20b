/**
 * Which of the SIMD loops' tensors (simd-loops.ts' pointers) hold one row per batch row, and how:
 * the table that lets a loop run a window of a batch's rows — in place, by moving each pointer to
 * the window's first row, or on a compact copy of the window's rows (the row split's worker,
 * split-loops.ts), gathered before the loop and scattered back after it. Batch rows never mix in a
 * recurrent layer (each window's h, c and gates are its own), so running the rows in windows
 * computes the same values as running them at once, given the same products per row.
 */
import { AUX_BLOCKS, GATES, rowStrides, type FusedKind, type SequenceDims } from './fused-loops.js';
import type { BackwardPointers, ForwardPointers } from './simd-loops.js';

/** How a tensor's rows lie: per (batch row, step) like x and y, per step then row like aux, or per row. */
type RowLayout = 'sequence' | 'aux' | 'state';
/** The row's width in floats, by the loop's sizes. */
type RowWidth = 'gates' | 'output' | 'hidden' | 'aux';
/**
 * Whether the loop reads the tensor (a copy gathers it before), writes it (scattered back after) or
 * uses it as scratch (one per loop, never moved or copied).
 */
type Direction = 'read' | 'written' | 'scratch';

export interface RowField {
  readonly layout: RowLayout;
  readonly width: RowWidth;
  readonly direction: Direction;
}

/** The per-row tensors of the forward loop (without a projection); b_hh is shared by all rows. */
export const FORWARD_ROWS = {
  x: { layout: 'sequence', width: 'gates', direction: 'read' },
  h0: { layout: 'state', width: 'output', direction: 'read' },
  c0: { layout: 'state', width: 'hidden', direction: 'read' },
  y: { layout: 'sequence', width: 'output', direction: 'written' },
  hFull: { layout: 'sequence', width: 'hidden', direction: 'written' }, // y itself here
  aux: { layout: 'aux', width: 'aux', direction: 'written' },
  recurrent: { layout: 'state', width: 'gates', direction: 'scratch' },
} as const satisfies Partial<Record<keyof ForwardPointers, RowField>>;

/** The per-row tensors of the backward loop (without a projection: no dh, dhFull). */
export const BACKWARD_ROWS = {
  dy: { layout: 'sequence', width: 'output', direction: 'read' },
  y: { layout: 'sequence', width: 'output', direction: 'read' },
  aux: { layout: 'aux', width: 'aux', direction: 'read' },
  h0: { layout: 'state', width: 'output', direction: 'read' },
  c0: { layout: 'state', width: 'hidden', direction: 'read' },
  dcT: { layout: 'state', width: 'hidden', direction: 'read' },
  dx: { layout: 'sequence', width: 'gates', direction: 'written' },
  dRecurrent: { layout: 'sequence', width: 'gates', direction: 'written' },
  dh0: { layout: 'state', width: 'output', direction: 'written' },
  dc0: { layout: 'state', width: 'hidden', direction: 'written' },
  dhRecurrent: { layout: 'state', width: 'output', direction: 'scratch' },
  carry: { layout: 'state', width: 'hidden', direction: 'scratch' },
} as const satisfies Partial<Record<keyof BackwardPointers, RowField>>;

/** A loop's per-row tensors by pointer name. */
export type RowTable = Readonly<Record<string, RowField>>;

/** A tensor as `blocks` blocks of `rows` rows of `width` floats. */
export interface RowBlocks {
  readonly blocks: number;
  readonly rows: number;
  readonly width: number;
}

/** A row's width in floats. */
const widthOf = (field: RowField, kind: FusedKind, dims: SequenceDims): number => {
  const H = dims.hidden;
  const sizes: Record<RowWidth, number> = {
    gates: GATES[kind] * H,
    output: dims.output ?? H,
    hidden: H,
    aux: AUX_BLOCKS[kind] * H,
  };
  return sizes[field.width];
};

/** How `field`'s tensor lies for a batch of `dims.batch` rows. */
export function rowBlocks(field: RowField, kind: FusedKind, dims: SequenceDims): RowBlocks {
  const width = widthOf(field, kind, dims);
  const { batch, steps } = dims;
  if (field.layout === 'state') return { blocks: 1, rows: batch, width };
  if (field.layout === 'aux' || dims.timeMajor) return { blocks: steps, rows: batch, width };
  return { blocks: 1, rows: batch, width: steps * width };
}

/**
 * The pointers of rows [first, …) of a batch of `dims.batch`: each per-row tensor's offset moved to
 * its window's first row (an absent one, 0, stays absent); shared tensors and scratch unchanged.
 */
export function windowPointers<P extends object>(
  at: P,
  table: RowTable,
  kind: FusedKind,
  dims: SequenceDims,
  first: number,
): P {
  const moved: Record<string, number> = { ...(at as Record<string, number>) };
  const { batchStride } = rowStrides(dims);
  for (const [name, field] of Object.entries(table)) {
    const offset = moved[name] ?? 0;
    if (offset === 0 || field.direction === 'scratch') continue;
    const width = widthOf(field, kind, dims);
    const rowStride = field.layout === 'sequence' ? batchStride * width : width;
    moved[name] = offset + first * rowStride * 4;
  }
  return moved as P;
}

/** A tensor in a heap: the heap as floats and the tensor's float index. */
export interface HeapTensor {
  readonly heap: Float32Array;
  readonly at: number;
}

/**
 * Copies rows [first, first + count) of every block of `whole` (laid out as `layout`) to `packed`,
 * [blocks, count, width] (`gather`), or from `packed` back into those rows (`scatter`).
 */
export function copyRows(
  direction: 'gather' | 'scatter',
  layout: RowBlocks,
  window: { readonly first: number; readonly count: number },
  whole: HeapTensor,
  packed: HeapTensor,
): void {
  const { blocks, rows, width } = layout;
  const length = window.count * width;
  for (let b = 0; b < blocks; b++) {
    const wholeAt = whole.at + (b * rows + window.first) * width;
    const packedAt = packed.at + b * length;
    if (direction === 'gather') packed.heap.set(whole.heap.subarray(wholeAt, wholeAt + length), packedAt);
    else whole.heap.set(packed.heap.subarray(packedAt, packedAt + length), wholeAt);
  }
}
