/**
 * NeuralForecast's `Inception_Block_V1`: `num_kernels` 2-D convolutions of kernel sizes 1, 3, 5, …
 * with "same" zero padding, averaged. All of them are centred and zero-padded, so their mean is
 * one convolution whose K×K kernel (K = 2·num_kernels − 1) is the mean of the kernels embedded in
 * the centre of a K×K grid, and whose bias is the mean of the biases: one product instead of six,
 * 121 taps per output instead of 1 + 9 + … + 121 = 286. The six kernels stay separate variables
 * (NeuralForecast's parameter count), merged on every forward so each gets its own gradient.
 *
 * The convolution is a row-unfolded matrix product (TensorFlow.js's wasm backend has no
 * Conv2DBackpropFilter, and the native BLAS matmul is the engine's fastest kernel): the kw
 * horizontal taps are unfolded onto channels, one product yields every kernel row's partial sum
 * at once, and a fold adds the kh shifted rows (see unfold.ts). Kernel rows and columns that can only ever read the
 * zero padding (beyond ±(H−1) rows or ±(W−1) columns of a small grid) are cropped first; the result
 * is the same and a 1×36 grid costs 11 taps, not 121.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../../nn/params.js';
import { normalVariable } from '../../nn/normal-init.js';
import { fold, unfold } from './unfold.js';

/** Options of {@link createInceptionBlock}. */
export interface InceptionOptions {
  /** Variable path prefix (`model_0/inception_0`). */
  readonly path: string;
  readonly inChannels: number;
  readonly outChannels: number;
  /** Number of convolutions, of kernel sizes 1, 3, …, 2·numKernels − 1. */
  readonly numKernels: number;
}

/** One merged K×K convolution: kernel [K, K, C_in, C_out] and bias [C_out]. */
export interface MergedConv {
  readonly kernel: tf.Tensor4D;
  readonly bias: tf.Tensor1D;
}

/** An inception block; `merge` once per forward, then `apply` the merged convolution to each grid. */
export interface InceptionBlock {
  /** Kernel i: [2i+1, 2i+1, C_in, C_out] (PyTorch's `kernels[i].weight` [C_out, C_in, k, k], permuted). */
  readonly kernels: readonly tf.Variable[];
  /** Bias i: [C_out]. */
  readonly biases: readonly tf.Variable[];
  /** The mean of the kernels embedded in the K×K centre, and the mean bias. */
  merge(): MergedConv;
}

/**
 * Creates the block. NeuralForecast initialises each kernel with `kaiming_normal_(mode='fan_out',
 * nonlinearity='relu')`, std = √(2 / (C_out·k²)), and each bias with 0.
 */
export function createInceptionBlock(store: ParamStore, options: InceptionOptions): InceptionBlock {
  const { path, inChannels: C, outChannels: O, numKernels } = options;
  const kernels: tf.Variable[] = [];
  const biases: tf.Variable[] = [];
  for (let i = 0; i < numKernels; i += 1) {
    const size = 2 * i + 1;
    kernels.push(
      normalVariable(store, `${path}/conv_${i}/kernel`, [size, size, C, O], Math.sqrt(2 / (O * size * size))),
    );
    biases.push(store.constant(`${path}/conv_${i}/bias`, [O], 0));
  }
  return {
    kernels,
    biases,
    merge() {
      return tf.tidy(() => {
        const embedded = kernels.map((kernel, i) => {
          const p = numKernels - 1 - i; // (K - (2i+1)) / 2
          return p === 0
            ? kernel
            : tf.pad(kernel, [
                [p, p],
                [p, p],
                [0, 0],
                [0, 0],
              ]); // [2i+1, 2i+1, C, O] -> [K, K, C, O]
        });
        const kernel = tf.div(tf.addN(embedded), numKernels) as tf.Tensor4D;
        const bias = tf.div(tf.addN(biases), numKernels) as tf.Tensor1D;
        return { kernel, bias };
      });
    },
  };
}

/**
 * A stride-1 2-D convolution with "same" zero padding of an odd K×K kernel, as PyTorch's
 * `nn.Conv2d(kernel_size=K, padding=(K-1)/2)` in NHWC: [B, H, W, C_in] -> [B, H, W, C_out].
 */
export function conv2dSame(x: tf.Tensor4D, conv: MergedConv): tf.Tensor4D {
  return tf.tidy(() => {
    const [B, H, W, C] = x.shape;
    const [K, , , O] = conv.kernel.shape;
    // Offsets beyond ±(H−1) rows / ±(W−1) columns read only padding.
    const kh = Math.min(K, 2 * H - 1);
    const kw = Math.min(K, 2 * W - 1);
    const kernel =
      kh === K && kw === K
        ? conv.kernel
        : tf.slice(conv.kernel, [(K - kh) / 2, (K - kw) / 2, 0, 0], [kh, kw, C, O]); // [kh, kw, C, O]
    // Row-unfold: tap dx of output column w reads input column w + dx − (kw−1)/2.
    const unfolded = kw === 1 ? x : unfold(x, { P: B * H, A: W, S: 1, Q: C, k: kw }); // [B·H, W, 1, kw, C]
    // [kh, kw, C, O] -> [kw, C, kh, O] -> [kw·C, kh·O]: one column block per kernel row.
    const byRow = tf.reshape(tf.transpose(kernel, [1, 2, 0, 3]), [kw * C, kh * O]);
    const partial = tf.matMul(tf.reshape(unfolded, [B * H * W, kw * C]), byRow); // [B·H·W, kh·O]
    // Output row y adds kernel row dy's partial sum of input row y + dy − (kh−1)/2: fold with σ = −1.
    const out = kh === 1 ? partial : fold(partial, { P: B, A: H, S: W, Q: O, k: kh, sign: -1 }); // [B, H, W, O] as flat
    return tf.add(tf.reshape(out, [B, H, W, O]), conv.bias) as tf.Tensor4D; // [B, H, W, O]
  });
}
