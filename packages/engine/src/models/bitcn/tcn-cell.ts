/**
 * BiTCN's convolution stack (NeuralForecast's `TCNCell` chained in an `nn.Sequential`). Each cell
 * maps its hidden state h through a dilated conv, GELU and dropout, then a 1×1 conv to 2·C_in
 * channels split in two halves: the first is added to h (the residual path the next cell reads),
 * the second to a running skip output. The stack returns the skip sum, never the residual state.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createDilatedConv1d, type ConvMode, type DilatedConv1d } from '../../nn/dilated-conv1d.js';
import type { ForwardContext } from '../../nn/forward-context.js';
import { createLinear, type Linear } from '../../nn/linear.js';
import type { ParamStore } from '../../nn/params.js';
import { geluDropout } from './gelu-dropout.js';

/** BiTCN fixes the kernel at 2 ("not really necessary as parameter", NeuralForecast's comment). */
export const BITCN_KERNEL_SIZE = 2;

/** The residual state and skip output a cell passes on, both `[B, T, C]`. */
export interface TcnState {
  readonly h: tf.Tensor3D;
  /** Skip sum so far; undefined before the first cell (NeuralForecast starts it at the scalar 0). */
  readonly out: tf.Tensor3D | undefined;
}

/** Options of {@link createTcnCell}. */
export interface TcnCellOptions {
  /** Variable path prefix; the convs live under `<path>/conv1` and `<path>/conv2`. */
  readonly path: string;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly dilation: number;
  /** `backward` reads the past (causal), `forward` the future (anti-causal). */
  readonly mode: ConvMode;
  /** Dropout after the GELU. */
  readonly dropout: number;
}

/** One `TCNCell`. */
export interface TcnCell {
  /** Dilated conv C_in -> C_out, kernel 2. */
  readonly conv1: DilatedConv1d;
  /** The 1×1 conv C_out -> 2·C_in as a dense layer: columns 0…C_in-1 feed h, C_in…2·C_in-1 the skip. */
  readonly conv2: Linear;
  apply(state: TcnState, ctx: ForwardContext): TcnState;
  /** The skip output alone, for the last cell of a stack, whose residual state nothing reads. */
  applySkip(state: TcnState, ctx: ForwardContext): tf.Tensor3D;
}

/**
 * Creates a cell. The 1×1 conv has kernel size 1, so PyTorch's U(±1/√(C_out·1)) init is a dense
 * layer's; it is created after conv1, as NeuralForecast registers them.
 */
export function createTcnCell(store: ParamStore, options: TcnCellOptions): TcnCell {
  const { inChannels: C } = options;
  const conv1 = createDilatedConv1d(store, {
    path: `${options.path}/conv1`,
    inChannels: C,
    outChannels: options.outChannels,
    kernelSize: BITCN_KERNEL_SIZE,
    dilation: options.dilation,
    mode: options.mode,
  });
  const conv2 = createLinear(store, {
    path: `${options.path}/conv2`,
    inFeatures: options.outChannels,
    outFeatures: 2 * C,
  });
  // One half of the 1×1 conv, [B, T, C_out] -> [B, T, C_in]. Slicing the small kernel instead of
  // splitting the big product avoids a last-axis split forward and a concat backward.
  const half = (hidden: tf.Tensor3D, which: 0 | 1): tf.Tensor3D => {
    const [B, T, H] = hidden.shape;
    const kernel = tf.slice(conv2.kernel, [0, which * C], [H, C]); // [C_out, C_in]
    const bias = tf.slice(conv2.bias as tf.Tensor1D, [which * C], [C]); // [C_in]
    const y = tf.fused.matMul({ a: tf.reshape(hidden, [B * T, H]), b: kernel, bias }); // [B·T, C_in]
    return tf.reshape(y, [B, T, C]);
  };
  const skip = (out: tf.Tensor3D | undefined, next: tf.Tensor3D): tf.Tensor3D =>
    out === undefined ? next : tf.add<tf.Tensor3D>(out, next);
  const hiddenOf = (h: tf.Tensor3D, ctx: ForwardContext): tf.Tensor3D =>
    geluDropout(conv1.apply(h), options.dropout, ctx); // [B, T, C_out]
  return {
    conv1,
    conv2,
    apply({ h, out }, ctx) {
      const hidden = hiddenOf(h, ctx);
      return { h: tf.add(h, half(hidden, 0)), out: skip(out, half(hidden, 1)) };
    },
    applySkip({ h, out }, ctx) {
      return skip(out, half(hiddenOf(h, ctx), 1));
    },
  };
}

/**
 * Layers NeuralForecast stacks for a sequence of `length` steps: ceil(log2((length-1)/(K-1) + 1)),
 * the fewest dilations 1, 2, 4, … whose receptive field 2^n covers the sequence (K = 2). Counted
 * in integers, as the float log2 is exact only at powers of two.
 */
export function tcnLayerCount(length: number): number {
  let layers = 0;
  while (2 ** layers < (length - 1) / (BITCN_KERNEL_SIZE - 1) + 1) layers += 1;
  return layers;
}

/** Options of {@link createTcnStack}. */
export interface TcnStackOptions {
  /** Variable path prefix; cell i is `<path>/layer_<i>`. */
  readonly path: string;
  readonly channels: number;
  /** Number of cells; cell i has dilation 2^i. */
  readonly layers: number;
  readonly mode: ConvMode;
  readonly dropout: number;
}

/** A chain of cells with dilations 1, 2, 4, …, `[B, T, C] -> [B, T, C]` (the skip sum). */
export interface TcnStack {
  readonly cells: readonly TcnCell[];
  apply(x: tf.Tensor3D, ctx: ForwardContext): tf.Tensor3D;
}

/** Creates a stack of at least one cell (NeuralForecast's empty stack returns the scalar 0 and fails downstream). */
export function createTcnStack(store: ParamStore, options: TcnStackOptions): TcnStack {
  if (!Number.isInteger(options.layers) || options.layers < 1) {
    throw new RangeError(`a TCN stack needs at least one cell, got ${options.layers}`);
  }
  const cells = Array.from({ length: options.layers }, (_, i) =>
    createTcnCell(store, {
      path: `${options.path}/layer_${i}`,
      inChannels: options.channels,
      outChannels: options.channels,
      dilation: 2 ** i,
      mode: options.mode,
      dropout: options.dropout,
    }),
  );
  return {
    cells,
    apply(x, ctx) {
      return tf.tidy(() => {
        let state: TcnState = { h: x, out: undefined };
        for (const cell of cells.slice(0, -1)) state = cell.apply(state, ctx);
        // The last cell's residual half would be computed and dropped (its weights get no gradient either way).
        return (cells[cells.length - 1] as TcnCell).applySkip(state, ctx);
      });
    },
  };
}
