/**
 * TFT's gated residual network (Lim et al. 2021, eqs. 2–4), as NeuralForecast's `GRN`:
 *   η₂ = act(a W_a + b_a [+ c W_c]),  η₁ = dropout(η₂ W_i + b_i),
 *   out = LayerNorm(GLU(η₁) + skip),  skip = a, or a W_o + b_o when the output width differs.
 * The layer norm (eps 1e-3) is left out for a one-wide output, as NeuralForecast's `MaybeLayerNorm`;
 * otherwise GLU, skip and norm run as one op with its own gradient (gated-add-norm.ts).
 *
 * {@link createStackedGrn} holds n GRNs of one shape as [n, …] weights and runs them as one batched
 * product per layer over [n, N, d] — TFT's per-variable GRNs and static context GRNs — instead of n
 * chains of small ops.
 *
 * A GRN reads its input only through dense layers and, for an identity skip, as itself: both GRNs
 * also take it as a {@link GrnInput} saying how to do those two things, so an input with structure
 * (TFT's embedded scalars, scalar-embedding.ts) can pass its first layer without being formed.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@nflab/contracts';
import { PLAIN_ACTIVATIONS, type Activation } from './activations.js';
import { biasElu } from './bias-elu.js';
import { dropout } from './dropout.js';
import type { ForwardContext } from './forward-context.js';
import { gatedAddNorm } from './gated-add-norm.js';
import { createGlu } from './glu.js';
import { createLinear, type Linear } from './linear.js';
import type { ParamStore } from './params.js';

/**
 * The activations NeuralForecast's TFT names in `grn_activation` and can run: its map also lists
 * 'GLU', which halves the width the next layer expects, so NeuralForecast fails on it at the first
 * forward; here it is rejected when the config is parsed.
 */
export const GRN_ACTIVATIONS = [
  'ReLU',
  'Softplus',
  'Tanh',
  'SELU',
  'LeakyReLU',
  'Sigmoid',
  'ELU',
  'GELU',
] as const;

/** One of {@link GRN_ACTIVATIONS}. */
export type GrnActivationName = (typeof GRN_ACTIVATIONS)[number];

/** TFT's layer-norm epsilon. */
export const TFT_LAYER_NORM_EPS = 1e-3;

/** The activation function of `name`, as PyTorch's functional forms (LeakyReLU slope 0.01, ELU α 1). */
export function grnActivation(name: GrnActivationName): Activation {
  if (!(GRN_ACTIVATIONS as readonly string[]).includes(name))
    throw new ConfigError(`unknown grn_activation '${String(name)}'`);
  return PLAIN_ACTIVATIONS[name];
}

/** A dense layer's weights: kernel [in, out] and bias [out] (stacked: [n, in, out] and [n, 1, out]). */
export interface DenseWeights {
  readonly kernel: tf.Tensor;
  readonly bias: tf.Tensor | undefined;
}

/** A GRN input a [.., in] (stacked: [n, N, in]) as the GRN uses it, through layers of type L. */
export interface GrnInput<L extends DenseWeights = DenseWeights> {
  /** a·W + b over the last axis. */
  dense(layer: L): tf.Tensor;
  /** a itself, for an identity skip. */
  value(): tf.Tensor;
}

/** Options of {@link createGrn}. */
export interface GrnOptions {
  /** Variable path; layers are `lin_a`, `lin_c`, `lin_i`, `glu/lin`, `out_proj`, `layer_norm`. */
  readonly path: string;
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** Output width; the hidden size when absent (then the skip is the input itself). */
  readonly outputSize?: number;
  /** Width of the context vector; no context layer when absent. */
  readonly contextSize?: number;
  /** Dropout after `lin_i`. @default 0 */
  readonly dropout?: number;
  /** @default 'ELU' */
  readonly activation?: GrnActivationName;
}

/** A gated residual network over the last axis. */
export interface Grn {
  /**
   * a [B, in] or [B, T, in] -> [B, out] or [B, T, out]; the context c [B, ctx] is added to every
   * step (NeuralForecast's `lin_c(c).unsqueeze(1)`).
   */
  apply<T extends tf.Tensor = tf.Tensor>(a: T | GrnInput, ctx: ForwardContext, context?: tf.Tensor2D): T;
}

/** Creates a GRN with NeuralForecast's module order (layer_norm, lin_a, lin_c, lin_i, glu, out_proj). */
export function createGrn(store: ParamStore, options: GrnOptions): Grn {
  const { path, inputSize, hiddenSize, outputSize } = options;
  const width = outputSize ?? hiddenSize;
  // The layer norm's gain and shift (as createLayerNorm's), applied with the gate by gatedAddNorm.
  const norm =
    width === 1
      ? undefined
      : {
          weight: store.constant(`${path}/layer_norm/weight`, [width], 1),
          bias: store.constant(`${path}/layer_norm/bias`, [width], 0),
        };
  const linA = createLinear(store, { path: `${path}/lin_a`, inFeatures: inputSize, outFeatures: hiddenSize });
  const linC =
    options.contextSize === undefined
      ? undefined
      : createLinear(store, {
          path: `${path}/lin_c`,
          inFeatures: options.contextSize,
          outFeatures: hiddenSize,
          bias: false,
        });
  const linI = createLinear(store, {
    path: `${path}/lin_i`,
    inFeatures: hiddenSize,
    outFeatures: hiddenSize,
  });
  const gate = createGlu(store, { path: `${path}/glu`, inFeatures: hiddenSize, outFeatures: width });
  const outProj =
    outputSize === undefined
      ? undefined
      : createLinear(store, { path: `${path}/out_proj`, inFeatures: inputSize, outFeatures: outputSize });
  const act = grnActivation(options.activation ?? 'ELU');
  const elu = (options.activation ?? 'ELU') === 'ELU';
  // lin_a without its bias, which the fused ELU adds (with the context's term).
  const productA: Linear = {
    ...linA,
    bias: undefined,
    apply: <T extends tf.Tensor>(x: T) =>
      tf.reshape(tf.matMul(tf.reshape(x, [-1, inputSize]), linA.kernel), [
        ...x.shape.slice(0, -1),
        hiddenSize,
      ]) as T,
  };
  const rate = options.dropout ?? 0;
  return {
    apply: (a, ctx, context) =>
      tf.tidy(() => {
        const input: GrnInput<Linear> =
          a instanceof tf.Tensor ? { dense: (layer) => layer.apply(a), value: () => a } : a;
        let x: tf.Tensor;
        const c = linC && context ? linC.apply(context) : undefined; // [B, hidden]
        if (elu) {
          // ELU(a W_a + (b_a + c W_c)): the bias row per window b (each of its steps), one op.
          x = biasElu(input.dense(productA), c ? tf.add(c, linA.bias!) : linA.bias!);
        } else {
          x = input.dense(linA);
          if (c) x = tf.add(x, x.rank === 3 ? tf.expandDims(c, 1) : c); // [B, 1, hidden] over every step
          x = act(x);
        }
        x = dropout(linI.apply(x), rate, ctx);
        const skip = outProj ? input.dense(outProj) : input.value();
        if (!norm) return tf.add(gate.apply(x), skip);
        return gatedAddNorm(gate.lin.apply(x), skip, norm.weight, norm.bias, TFT_LAYER_NORM_EPS);
      }) as never,
  };
}

/** Options of {@link createStackedGrn}. */
export interface StackedGrnOptions {
  /** Variable path; each weight carries a leading axis of n. */
  readonly path: string;
  /** Number of GRNs (n). */
  readonly count: number;
  /** Input, hidden and output width (d): the stacked GRNs have no context and skip their input. */
  readonly hiddenSize: number;
  /** @default 0 */
  readonly dropout?: number;
  /** @default 'ELU' */
  readonly activation?: GrnActivationName;
}

/** n GRNs of width d without context, applied each to its own slice of the input. */
export interface StackedGrn {
  readonly count: number;
  /** x [n, N, d]: GRN i reads x[i] -> [n, N, d]. */
  apply(x: tf.Tensor3D | GrnInput, ctx: ForwardContext): tf.Tensor3D;
}

/**
 * Creates n GRNs as stacked weights ([n, d, d] kernels, [n, 1, d] biases and norm gains), each
 * initialised as PyTorch initialises one `nn.Linear(d, ·)`: parameter count and distribution equal
 * n separate GRNs'.
 */
export function createStackedGrn(store: ParamStore, options: StackedGrnOptions): StackedGrn {
  const { path, count: n, hiddenSize: d } = options;
  const bound = { low: -1 / Math.sqrt(d), high: 1 / Math.sqrt(d) };
  const normWeight = store.constant(`${path}/layer_norm/weight`, [n, 1, d], 1);
  const normBias = store.constant(`${path}/layer_norm/bias`, [n, 1, d], 0);
  const dense = (name: string, out: number) => ({
    kernel: store.uniform(`${path}/${name}/kernel`, [n, d, out], bound),
    bias: store.uniform(`${path}/${name}/bias`, [n, 1, out], bound),
  });
  const linA = dense('lin_a', d);
  const linI = dense('lin_i', d);
  const gate = dense('glu/lin', 2 * d);
  const act = grnActivation(options.activation ?? 'ELU');
  const elu = (options.activation ?? 'ELU') === 'ELU';
  const rate = options.dropout ?? 0;
  // [n, N, d]·[n, d, out] + [n, 1, out]: one batched product for all n GRNs.
  const affine = (x: tf.Tensor, w: DenseWeights): tf.Tensor3D =>
    tf.add(tf.matMul(x as tf.Tensor3D, w.kernel as tf.Tensor3D), w.bias!);
  return {
    count: n,
    apply: (x, ctx) =>
      tf.tidy(() => {
        const input: GrnInput = x instanceof tf.Tensor ? { dense: (w) => affine(x, w), value: () => x } : x;
        // ELU(x W_a + b_a) as one op; a folded input's dense layer has added its bias already.
        const first = !elu
          ? act(input.dense(linA))
          : x instanceof tf.Tensor
            ? biasElu(tf.matMul(x as tf.Tensor3D, linA.kernel as tf.Tensor3D), linA.bias)
            : biasElu(input.dense(linA));
        const hidden = dropout(affine(first, linI), rate, ctx);
        // LayerNorm(GLU(·) + x) per GRN i with its gain and shift [i, 1, d]: [n, N, 2d] -> [n, N, d]
        return gatedAddNorm(affine(hidden, gate), input.value(), normWeight, normBias, TFT_LAYER_NORM_EPS);
      }) as tf.Tensor3D,
  };
}
