/**
 * StemGNN's StockBlockLayer: graph Fourier transform (the Chebyshev stack of the learnt graph),
 * DFT over the orders, the spectral sequential cell — three GLU layers on the real parts and three
 * on the imaginary parts — the inverse DFT, the graph convolution weight summed over the orders,
 * then a forecast head and, in the first block only, a backcast that feeds the second block.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createGlu, glu, type GluLayer } from '../../nn/glu.js';
import { createLinear } from '../../nn/linear.js';
import { normalVariable } from '../../nn/normal-init.js';
import type { ParamStore } from '../../nn/params.js';
import { CHEB_ORDERS, foldInverse, graphSpectrum, irfftReadBins } from './spectral.js';

/** Options of {@link createStockBlock}. */
export interface StockBlockOptions {
  /** Variable path, e.g. `stock_block_0`. */
  readonly path: string;
  /** Window length L (NeuralForecast's `time_step`). */
  readonly timeStep: number;
  /** Width multiplier m of the block's layers (`multi_layer`). */
  readonly multiLayer: number;
  /** Whether the block emits a backcast (NeuralForecast's `stack_cnt == 0`). */
  readonly backcast: boolean;
}

/** What a block returns: [B·N, L] forecast, and the [B, N, L] input of the next block where it has one. */
export interface StockBlockOutput {
  readonly forecast: tf.Tensor2D;
  readonly backcast: tf.Tensor3D | undefined;
}

/** One block. */
export interface StockBlock {
  /** x [B, N, L] and the pass's spectral operator (spectral.ts) -> forecast and backcast. */
  apply(x: tf.Tensor3D, operator: tf.Tensor2D): StockBlockOutput;
}

/**
 * A GLU layer's outputs for a contiguous run of `bins` of its K output bins (C channels each) only:
 * its kernel's left and right halves are [in, K·C] each, so the run is one slice of each.
 */
const gluOnBins = (layer: GluLayer, x: tf.Tensor2D, bins: readonly number[], C: number): tf.Tensor2D =>
  tf.tidy(() => {
    const kernel = layer.lin.kernel as tf.Tensor2D;
    const bias = layer.lin.bias as tf.Tensor1D | undefined;
    const half = layer.lin.outFeatures / 2; // K·C
    const begin = (bins[0] ?? 0) * C;
    const width = bins.length * C;
    const k = tf.concat2d(
      [tf.slice(kernel, [0, begin], [-1, width]), tf.slice(kernel, [0, half + begin], [-1, width])],
      1,
    ); // [in, 2·width]
    const b = bias
      ? tf.concat1d([tf.slice(bias, [begin], [width]), tf.slice(bias, [half + begin], [width])])
      : undefined;
    return glu(tf.fused.matMul({ a: x, b: k, ...(b ? { bias: b } : {}) }) as tf.Tensor2D);
  });

/**
 * The spectral sequential cell's GLU chain on one part (real or imaginary) of the spectrum. The last
 * layer computes only the bins irfft reads: NeuralForecast computes all K and irfft drops the rest,
 * so the dropped outputs never reach the forecast and their weights get no gradient there either.
 */
const chain = (
  layers: readonly GluLayer[],
  x: tf.Tensor2D,
  bins: readonly number[],
  C: number,
): tf.Tensor2D => {
  const hidden = layers.slice(0, -1).reduce((h, layer) => layer.apply(h), x);
  return gluOnBins(layers[layers.length - 1] as GluLayer, hidden, bins, C);
};

/**
 * Creates a block with NeuralForecast's weights in its order: the graph convolution weight
 * [4, m·L, m·L] (Xavier normal on its [1, 4, 1, m·L, m·L] shape: fan_in 4·(m·L)², fan_out (m·L)²),
 * `forecast`, `forecast_result`, `backcast` (first block only), `backcast_short_cut` (built in every
 * block, as NeuralForecast does, but read only where there is a backcast), then the six GLUs in
 * real/imaginary pairs: 4L -> 4m·L, then 4m·L -> 4m·L twice.
 */
export function createStockBlock(store: ParamStore, options: StockBlockOptions): StockBlock {
  const { path, timeStep: L, multiLayer: m } = options;
  const C = m * L;
  const K = CHEB_ORDERS;
  const std = Math.sqrt(2 / (K * C * C + C * C));
  const weight = normalVariable(store, `${path}/weight`, [K, C, C], std);
  const forecast = createLinear(store, { path: `${path}/forecast`, inFeatures: C, outFeatures: C });
  const forecastResult = createLinear(store, {
    path: `${path}/forecast_result`,
    inFeatures: C,
    outFeatures: L,
  });
  const backcast = options.backcast
    ? createLinear(store, { path: `${path}/backcast`, inFeatures: C, outFeatures: L })
    : undefined;
  const shortCut = createLinear(store, { path: `${path}/backcast_short_cut`, inFeatures: L, outFeatures: L });
  const real: GluLayer[] = [];
  const imag: GluLayer[] = [];
  const read = irfftReadBins(K);
  for (let i = 0; i < 3; i += 1) {
    const inFeatures = i === 0 ? K * L : K * C;
    for (const part of [real, imag]) {
      part.push(
        createGlu(store, {
          path: `${path}/glus_${2 * i + (part === real ? 0 : 1)}`,
          inFeatures,
          outFeatures: K * C,
        }),
      );
    }
  }
  return {
    apply: (x, operator) =>
      tf.tidy(() => {
        const [B, N] = x.shape;
        const spectrum = graphSpectrum(operator, x); // 2 × [B·N, K·L]
        const cell = tf.concat2d(
          [chain(real, spectrum.real, read.real, C), chain(imag, spectrum.imag, read.imag, C)],
          1,
        ); // [B·N, (R+I)·C]: the bins irfft reads
        const convolved = tf.matMul(cell, foldInverse(weight as tf.Tensor3D)) as tf.Tensor2D; // [B·N, C]: Σ_t irfft(cell)_t·W_t
        const out = forecastResult.apply(tf.sigmoid<tf.Tensor2D>(forecast.apply(convolved))); // [B·N, L]
        if (!backcast) return { forecast: out, backcast: undefined };
        const short = shortCut.apply(tf.reshape(x, [B * N, L]) as tf.Tensor2D);
        const back = tf.sigmoid(tf.sub(backcast.apply(convolved), short));
        return { forecast: out, backcast: tf.reshape(back, [B, N, L]) as tf.Tensor3D };
      }),
  };
}
