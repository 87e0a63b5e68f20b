import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODELS } from '../src/models/registry.js';
import {
  chebyshevStack,
  createLatentCorrelation,
  normalizedLaplacian,
} from '../src/models/stemgnn/latent-correlation.js';
import {
  foldInverse,
  fullDftMatrix,
  graphSpectrum,
  irfftReadBins,
  readIrfftMatrix,
  spectralOperator,
} from '../src/models/stemgnn/spectral.js';
import { createForwardContext } from '../src/nn/forward-context.js';
import { createGlu } from '../src/nn/glu.js';
import { createParamStore, logicalName } from '../src/nn/params.js';
import { useCpu } from './models-fixtures.js';

beforeAll(useCpu);

const close = (values: readonly number[], digits = 5) => values.map((v) => expect.closeTo(v, digits));
const variable = (store: { variables: tf.Variable[] }, suffix: string): tf.Variable => {
  const found = store.variables.find((v) => logicalName(v).endsWith(suffix));
  if (!found) throw new Error(`no variable ${suffix}`);
  return found;
};

/** The textbook DFT of a real signal: [Re X(f) for every f, Im X(f) for every f]. */
const naiveDft = (x: readonly number[]): number[] => {
  const K = x.length;
  const re = Array.from({ length: K }, (_, f) =>
    x.reduce((s, v, k) => s + v * Math.cos((2 * Math.PI * f * k) / K), 0),
  );
  const im = Array.from({ length: K }, (_, f) =>
    x.reduce((s, v, k) => s - v * Math.sin((2 * Math.PI * f * k) / K), 0),
  );
  return [...re, ...im];
};

/** `torch.fft.irfft(X, n=K)` written out: bins 0..K/2 with their mirror images, imaginary parts of 0 and K/2 dropped. */
const naiveIrfft = (re: readonly number[], im: readonly number[]): number[] => {
  const K = re.length;
  return Array.from({ length: K }, (_, t) => {
    let sum = re[0]! + (K % 2 === 0 ? re[K / 2]! * Math.cos(Math.PI * t) : 0);
    for (let f = 1; 2 * f < K; f += 1) {
      const a = (2 * Math.PI * f * t) / K;
      sum += 2 * (re[f]! * Math.cos(a) - im[f]! * Math.sin(a));
    }
    return sum / K;
  });
};

/** Row vector x [1, n] times a [n, m] matrix given flat. */
const times = (x: readonly number[], matrix: Float32Array, m: number): number[] =>
  Array.from({ length: m }, (_, j) => x.reduce((s, v, i) => s + v * matrix[i * m + j]!, 0));

describe("StemGNN's Fourier transforms over the Chebyshev orders", () => {
  it('the full DFT matrix gives torch.fft.fft of [1, 2, 3, 4]: 10, −2+2i, −2, −2−2i', () => {
    const spectrum = times([1, 2, 3, 4], fullDftMatrix(4), 8);
    expect(spectrum).toEqual(close([10, -2, -2, -2, 0, 2, 0, -2]));
    const x = [0.3, -1.2, 2.5, 0.7, -0.4];
    expect(times(x, fullDftMatrix(5), 10)).toEqual(close(naiveDft(x)));
  });

  it('the inverse reads only the bins irfft reads, and inverts the DFT of a real signal', () => {
    // Of the 8 parts of a 4-bin spectrum, irfft reads Re X(0), Re X(1), Re X(2) and Im X(1).
    expect(irfftReadBins(4)).toEqual({ real: [0, 1, 2], imag: [1] });
    expect(irfftReadBins(5)).toEqual({ real: [0, 1, 2], imag: [1, 2] });
    const inverse = readIrfftMatrix(4); // [4, 4]
    const full = [1.5, -0.5, 2, 9, 7, 0.25, -3, 4]; // [re | im] of bins 0..3, the ignored ones arbitrary
    const read = [full[0]!, full[1]!, full[2]!, full[5]!];
    expect(times(read, inverse, 4)).toEqual(close(naiveIrfft(full.slice(0, 4), full.slice(4))));
    for (const x of [
      [1, 2, 3, 4],
      [0.5, -2, 0, 3.25],
    ]) {
      const spectrum = times(x, fullDftMatrix(4), 8);
      expect(times([spectrum[0]!, spectrum[1]!, spectrum[2]!, spectrum[5]!], inverse, 4)).toEqual(close(x));
    }
    const x5 = [0.3, -1.2, 2.5, 0.7, -0.4];
    const s5 = times(x5, fullDftMatrix(5), 10);
    expect(times([s5[0]!, s5[1]!, s5[2]!, s5[6]!, s5[7]!], readIrfftMatrix(5), 5)).toEqual(close(x5));
  });

  it('the spectral operator on x is the DFT over k of T_k·x, laid out [B·N, order·L]', () => {
    // Two nodes, T_k = (k+1)·[[1, k], [0, 1]] for k = 0..3; windows of L = 2 steps, B = 2.
    const T = [0, 1, 2, 3].map((k) => [
      [k + 1, (k + 1) * k],
      [0, k + 1],
    ]);
    const x = [
      [
        [1, 2],
        [3, -1],
      ],
      [
        [0.5, 0],
        [-2, 4],
      ],
    ]; // [B, N, L]
    const cheb = tf.tensor3d(T.flat(2), [4, 2, 2]);
    const input = tf.tensor3d(x.flat(2), [2, 2, 2]);
    const op = spectralOperator(cheb);
    const { real, imag } = graphSpectrum(op, input);
    expect(real.shape).toEqual([4, 8]);
    const wantRe: number[] = [];
    const wantIm: number[] = [];
    for (const window of x) {
      for (let n = 0; n < 2; n += 1) {
        // gfted[k][t] = Σ_j T_k[n][j]·x[j][t]; the DFT runs over k for each t.
        const g = T.map((Tk) => [0, 1].map((t) => Tk[n]![0]! * window[0]![t]! + Tk[n]![1]! * window[1]![t]!));
        const spectra = [0, 1].map((t) => naiveDft(g.map((row) => row[t]!)));
        for (let f = 0; f < 4; f += 1) {
          for (let t = 0; t < 2; t += 1) {
            wantRe.push(spectra[t]![f]!);
            wantIm.push(spectra[t]![4 + f]!);
          }
        }
      }
    }
    expect(Array.from(real.dataSync())).toEqual(close(wantRe, 4));
    expect(Array.from(imag.dataSync())).toEqual(close(wantIm, 4));
    tf.dispose([cheb, input, op, real, imag]);
  });

  it('the folded weight is Σ_t irfft(spectrum)_t · W_t over the bins irfft reads', () => {
    const C = 2;
    const W = [0, 1, 2, 3].map((t) => [
      [1 + t, -t],
      [0.5 * t, 2 - t],
    ]); // [K, C, C]
    const re = [1, -2, 0.5, 3, 2, 0, -1, 1.5]; // (bin, channel) for bins 0..3
    const im = [4, 1, -3, 0.5, 2, -2, 1, 1];
    const read = [...re.slice(0, 6), ...im.slice(2, 4)]; // Re of bins 0..2, Im of bin 1
    const weight = tf.tensor3d(W.flat(2), [4, C, C]);
    const folded = foldInverse(weight);
    expect(folded.shape).toEqual([8, 2]);
    const got = tf.tidy(() => Array.from(tf.matMul(tf.tensor2d(read, [1, 8]), folded).dataSync()));
    // irfft over the order axis of the full spectrum for each channel c, then Σ_t row_t · W_t.
    const columns = [0, 1].map((c) =>
      naiveIrfft(
        [0, 1, 2, 3].map((k) => re[k * C + c]!),
        [0, 1, 2, 3].map((k) => im[k * C + c]!),
      ),
    );
    const want = [0, 1].map((j) =>
      [0, 1, 2, 3].reduce((s, t) => s + columns[0]![t]! * W[t]![0]![j]! + columns[1]![t]! * W[t]![1]![j]!, 0),
    );
    expect(got).toEqual(close(want, 4));
    tf.dispose([weight, folded]);
  });

  it('gradients flow through both transforms', () => {
    const g = tf.tidy(() =>
      Array.from(
        tf
          .grad((w: tf.Tensor) => tf.sum(foldInverse(w as tf.Tensor3D)))(tf.ones([4, 1, 1]))
          .dataSync(),
      ),
    );
    // Σ over the spectrum rows of each order's inverse weights: column sums of the [4, 4] inverse.
    const inverse = readIrfftMatrix(4);
    expect(g).toEqual(
      close([0, 1, 2, 3].map((t) => [0, 1, 2, 3].reduce((s, r) => s + inverse[r * 4 + t]!, 0))),
    );
    // d Σ op / d T_k[i, j] = Σ_s D[k, s], the row sums of the DFT matrix: 4, 0, 0, 0 for K = 4.
    const gCheb = tf.tidy(() =>
      Array.from(
        tf
          .grad((c: tf.Tensor) => tf.sum(spectralOperator(c as tf.Tensor3D)))(tf.ones([4, 1, 1]))
          .dataSync(),
      ),
    );
    expect(gCheb).toEqual(close([4, 0, 0, 0]));
  });
});

describe("StemGNN's graph", () => {
  it('normalised Laplacian D̂(D − (A + Aᵀ)/2)D̂ with row-sum degrees, on a 2-node adjacency', () => {
    // A = [[1, 3], [1, 1]]: degrees 4 and 2; A_sym = [[1, 2], [2, 1]]; D − A_sym = [[3, −2], [−2, 1]].
    const lap = tf.tidy(() => normalizedLaplacian(tf.tensor2d([1, 3, 1, 1], [2, 2])));
    const d = [1 / (2 + 1e-7), 1 / (Math.SQRT2 + 1e-7)];
    expect(Array.from(lap.dataSync())).toEqual(
      close([3 * d[0]! * d[0]!, -2 * d[0]! * d[1]!, -2 * d[1]! * d[0]!, 1 * d[1]! * d[1]!]),
    );
    lap.dispose();
  });

  it('Chebyshev stack as NeuralForecast builds it: 0, Λ, 2Λ², 2Λ(2Λ²) − Λ', () => {
    const stack = tf.tidy(() => chebyshevStack(tf.tensor2d([1, 2, 0, 1], [2, 2])));
    // Λ² = [[1, 4], [0, 1]]; 2Λ·2Λ² = 2·[[2, 12], [0, 2]].
    expect(Array.from(stack.dataSync())).toEqual([0, 0, 0, 0, 1, 2, 0, 1, 2, 8, 0, 2, 3, 22, 0, 3]);
    stack.dispose();
  });

  it('latent correlation: GRU over the series, attention between its hidden units, averaged over the batch', () => {
    const store = createParamStore('test', 1);
    const layer = createLatentCorrelation(store, {
      inputSize: 3,
      nSeries: 2,
      leakyRate: 0.2,
      dropoutRate: 0.5,
    });
    for (const v of store.variables) v.assign(tf.zerosLike(v));
    // Only the candidate gate's input bias: c = (0.5, −1). With zero weights r = z = ½, so from
    // h = 0 the hidden units are ½·tanh(c) after series 0 and ¾·tanh(c) after series 1, whatever x.
    variable(store, 'gru/ih/bias').assign(tf.tensor1d([0, 0, 0, 0, 0.5, -1]));
    variable(store, 'weight_key/weight').assign(tf.tensor2d([[1], [0]])); // key_i = h_i after series 0
    variable(store, 'weight_query/weight').assign(tf.tensor2d([[0], [1]])); // query_j = h_j after series 1
    const x = tf.randomNormal([3, 3, 2], 0, 1, 'float32', 7) as tf.Tensor3D;
    const cheb = layer.apply(x, createForwardContext({ training: false }, store.rng));
    const t = [Math.tanh(0.5), Math.tanh(-1)];
    const leaky = (v: number) => (v > 0 ? v : 0.2 * v);
    const A = [0, 1].map((i) => {
      const scores = [0, 1].map((j) => leaky(0.5 * t[i]! + 0.75 * t[j]!));
      const z = scores.reduce((s, v) => s + Math.exp(v), 0);
      return scores.map((v) => Math.exp(v) / z);
    });
    const degree = A.map((row) => row[0]! + row[1]!);
    const dh = degree.map((v) => 1 / (Math.sqrt(v) + 1e-7));
    const lap = [0, 1].flatMap((i) =>
      [0, 1].map((j) => dh[i]! * ((i === j ? degree[i]! : 0) - 0.5 * (A[i]![j]! + A[j]![i]!)) * dh[j]!),
    );
    expect(cheb.shape).toEqual([4, 2, 2]);
    expect(Array.from(cheb.dataSync()).slice(0, 8)).toEqual(close([0, 0, 0, 0, ...lap]));
    // Training: dropout on the attention weights changes the graph.
    const trained = layer.apply(x, createForwardContext({ training: true, seed: 3 }, store.rng));
    expect(Array.from(trained.dataSync())).not.toEqual(Array.from(cheb.dataSync()));
    tf.dispose([x, cheb, trained]);
    store.dispose();
  });
});

describe("StemGNN's spectral sequential cell", () => {
  it("GLU: NeuralForecast's linear_left(x) · σ(linear_right(x))", () => {
    const store = createParamStore('test', 1);
    const glu = createGlu(store, { path: 'g', inFeatures: 2, outFeatures: 1 });
    variable(store, 'g/lin/kernel').assign(tf.tensor2d([2, 1, -1, 3], [2, 2])); // columns: left, right
    variable(store, 'g/lin/bias').assign(tf.tensor1d([0.5, -1]));
    const y = tf.tidy(() => glu.apply(tf.tensor2d([[3, 1]])));
    const left = 2 * 3 - 1 + 0.5;
    const right = 3 + 3 - 1;
    expect(Array.from(y.dataSync())).toEqual(close([left / (1 + Math.exp(-right))]));
    y.dispose();
    store.dispose();
  });
});

describe('StemGNN', () => {
  const spec = MODELS.stemgnn;
  const dims = {
    h: 3,
    inputSize: 8,
    nOutputs: 1,
    nSeries: 2,
    futrExogSize: 0,
    histExogSize: 0,
    statExogSize: 0,
  };

  it('supports n_stacks = 2 only, as NeuralForecast', () => {
    expect(spec.configSchema.safeParse({ n_series: 2, n_stacks: 3 }).error?.issues[0]?.message).toMatch(
      /StemGNN supports n_stacks = 2 only/,
    );
    expect(spec.configSchema.parse({ n_series: 2 })).toEqual({
      n_series: 2,
      n_stacks: 2,
      multi_layer: 5,
      dropout_rate: 0.5,
      leaky_rate: 0.2,
    });
  });

  // Opposite sines: the normalised Laplacian of a near-uniform graph cancels what the series share,
  // so the graph convolution sees two series through their difference, which here is all of them.
  it('learns two opposite sines within 40 Adam steps (MAE halves)', () => {
    const net = spec.build(spec.configSchema.parse({ n_series: 2, multi_layer: 1 }), dims, 1);
    const B = 8;
    const L = dims.inputSize;
    const wave = (b: number, t: number, n: number) => Math.sin((2 * Math.PI * (b + t)) / 8 + n * Math.PI);
    const series = (from: number, len: number) =>
      Array.from({ length: B }, (_, b) =>
        Array.from({ length: len }, (_, t) => [0, 1].map((n) => wave(b, from + t, n))),
      ).flat(2);
    const insampleY = tf.tensor3d(series(0, L), [B, L, 2]);
    const y = tf.tensor4d(series(L, dims.h), [B, dims.h, 2, 1]);
    const batch = { insampleY, insampleMask: tf.onesLike(insampleY) };
    const optimizer = tf.train.adam(0.01);
    const mae = (training: boolean, seed?: number): tf.Scalar =>
      tf.mean(tf.abs(tf.sub(net.forward(batch, { training, ...(seed === undefined ? {} : { seed }) }), y)));
    const before = tf.tidy(() => mae(false).dataSync()[0] as number);
    for (let step = 0; step < 40; step += 1) {
      tf.tidy(() => {
        optimizer.minimize(() => mae(true, step), false, net.variables as tf.Variable[]);
      });
    }
    const after = tf.tidy(() => mae(false).dataSync()[0] as number);
    expect(after).toBeLessThan(before * 0.5);
    optimizer.dispose();
    tf.dispose([insampleY, y, batch.insampleMask]);
    net.dispose();
  });
});
