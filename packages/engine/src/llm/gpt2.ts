/**
 * GPT-2's transformer (transformers' `GPT2Model`) as a frozen function of its input embeddings:
 * learned positions are added, then pre-LN blocks of causal multi-head self-attention and an MLP,
 * each added back to the residual stream, and a final layer norm (`last_hidden_state`). The
 * weights are plain tensors, not variables: no optimizer sees them and no save stores them, while
 * gradients still flow through the blocks to whatever produced the embeddings. Dropout follows
 * the checkpoint's `*_pdrop` while training, as the PyTorch module does in train mode.
 * @see Radford et al. (2019), "Language Models are Unsupervised Multitask Learners". https://cdn.openai.com/better-language-models/language_models_are_unsupervised_multitask_learners.pdf
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@nflab/contracts';
import { gelu } from '../nn/activations.js';
import { dropout } from '../nn/dropout.js';
import type { ForwardContext } from '../nn/forward-context.js';
import type { FloatTensorData } from './safetensors.js';
import type { Gpt2Activation, Gpt2Checkpoint, Gpt2Config } from './gpt2-checkpoint.js';

/** √(2/π), the tanh approximation's constant. */
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** GPT-2's `gelu_new`: ½x(1 + tanh(√(2/π)(x + 0.044715x³))). */
export function geluNew<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => {
    const inner = tf.mul(tf.add(x, tf.mul(tf.mul(tf.square(x), x), 0.044715)), SQRT_2_OVER_PI);
    return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1)) as T;
  });
}

/** The activation named by config.json's `activation_function`. */
function activationOf(name: Gpt2Activation): <T extends tf.Tensor>(x: T) => T {
  switch (name) {
    case 'gelu_new':
    case 'gelu_pytorch_tanh':
    case 'gelu_fast':
      return geluNew;
    case 'gelu':
      return gelu;
    case 'relu':
      return <T extends tf.Tensor>(x: T): T => tf.relu(x);
    case 'silu':
    case 'swish':
      return <T extends tf.Tensor>(x: T): T => tf.mul(x, tf.sigmoid(x));
  }
}

/** Layer norm over the last axis with a fixed gain and shift (biased variance, as PyTorch). */
export function layerNorm<T extends tf.Tensor>(x: T, gain: tf.Tensor1D, shift: tf.Tensor1D, eps: number): T {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, x.rank - 1, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), gain), shift) as T;
  });
}

/** The additive causal mask [T, T]: 0 where key s ≤ query t, −1e9 after it (softmax weight 0). */
export function causalMask(T: number): tf.Tensor2D {
  const values = new Float32Array(T * T);
  for (let t = 0; t < T; t += 1) values.fill(-1e9, t * T + t + 1, (t + 1) * T);
  return tf.tensor2d(values, [T, T]);
}

interface Block {
  readonly ln1: readonly [tf.Tensor1D, tf.Tensor1D];
  readonly attnKernel: tf.Tensor2D;
  readonly attnBias: tf.Tensor1D;
  readonly attnProjKernel: tf.Tensor2D;
  readonly attnProjBias: tf.Tensor1D;
  readonly ln2: readonly [tf.Tensor1D, tf.Tensor1D];
  readonly fcKernel: tf.Tensor2D;
  readonly fcBias: tf.Tensor1D;
  readonly mlpProjKernel: tf.Tensor2D;
  readonly mlpProjBias: tf.Tensor1D;
}

/** A frozen GPT-2 on the current backend. */
export interface Gpt2 {
  readonly config: Gpt2Config;
  /** Token embeddings [vocab, d] (the model's input embeddings). */
  readonly wte: tf.Tensor2D;
  /** Every tensor the model holds (owned by it until {@link dispose}). */
  readonly tensors: readonly tf.Tensor[];
  /** Token ids [B, T] -> embeddings [B, T, d]. */
  embed(ids: tf.Tensor2D): tf.Tensor3D;
  /** Input embeddings [B, T, d] -> last hidden state [B, T, d]; T is at most n_positions. */
  forward(inputsEmbeds: tf.Tensor3D, ctx: ForwardContext): tf.Tensor3D;
  dispose(): void;
}

/** Uploads `checkpoint` to the backend as a frozen GPT-2. */
export function createGpt2(checkpoint: Gpt2Checkpoint): Gpt2 {
  const { config } = checkpoint;
  const tensors: tf.Tensor[] = [];
  const upload = <R extends tf.Rank>(data: FloatTensorData): tf.Tensor<R> => {
    // Kept: a caller may build inside a tidy, and the weights live until dispose().
    const t: tf.Tensor = tf.keep(tf.tensor(data.values, [...data.shape], 'float32'));
    tensors.push(t);
    return t as tf.Tensor<R>;
  };
  const pair = (p: readonly [FloatTensorData, FloatTensorData]): [tf.Tensor1D, tf.Tensor1D] => [
    upload<tf.Rank.R1>(p[0]),
    upload<tf.Rank.R1>(p[1]),
  ];
  const wte = upload<tf.Rank.R2>(checkpoint.wte);
  const wpe = upload<tf.Rank.R2>(checkpoint.wpe);
  const blocks: Block[] = checkpoint.blocks.map((b) => ({
    ln1: pair(b.ln1),
    attnKernel: upload(b.attnKernel),
    attnBias: upload(b.attnBias),
    attnProjKernel: upload(b.attnProjKernel),
    attnProjBias: upload(b.attnProjBias),
    ln2: pair(b.ln2),
    fcKernel: upload(b.fcKernel),
    fcBias: upload(b.fcBias),
    mlpProjKernel: upload(b.mlpProjKernel),
    mlpProjBias: upload(b.mlpProjBias),
  }));
  const lnF = pair(checkpoint.lnF);
  const act = activationOf(config.activation);
  const { nEmbd: d, nHead: H, layerNormEpsilon: eps } = config;
  const E = d / H;

  /** x [B, T, d] -> x + attention(ln_1(x)). */
  const attend = (x: tf.Tensor3D, block: Block, mask: tf.Tensor2D, ctx: ForwardContext): tf.Tensor3D => {
    const [B, T] = x.shape;
    const a = tf.reshape(layerNorm(x, block.ln1[0], block.ln1[1], eps), [B * T, d]);
    const qkv = tf.fused.matMul({ a, b: block.attnKernel, bias: block.attnBias }); // [B·T, 3d]
    // [B·T, d] -> [B, T, H, E] -> [B, H, T, E] -> [B·H, T, E]
    const heads = tf
      .split(qkv, 3, 1)
      .map((t) => tf.reshape(tf.transpose(tf.reshape(t, [B, T, H, E]), [0, 2, 1, 3]), [B * H, T, E]));
    const [q, k, v] = heads as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
    const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(E)), mask); // [B·H, T, T]
    const weights = dropout(tf.softmax(scores), config.attnPdrop, ctx);
    const mixed = tf.matMul(weights, v); // [B·H, T, E]
    const merged = tf.reshape(tf.transpose(tf.reshape(mixed, [B, H, T, E]), [0, 2, 1, 3]), [B * T, d]);
    const out = tf.fused.matMul({ a: merged, b: block.attnProjKernel, bias: block.attnProjBias });
    return tf.add(x, tf.reshape(dropout(out, config.residPdrop, ctx), [B, T, d]));
  };

  /** x [B, T, d] -> x + mlp(ln_2(x)). */
  const feedForward = (x: tf.Tensor3D, block: Block, ctx: ForwardContext): tf.Tensor3D => {
    const [B, T] = x.shape;
    const m = tf.reshape(layerNorm(x, block.ln2[0], block.ln2[1], eps), [B * T, d]);
    const hidden = act(tf.fused.matMul({ a: m, b: block.fcKernel, bias: block.fcBias })); // [B·T, inner]
    const out = tf.fused.matMul({ a: hidden, b: block.mlpProjKernel, bias: block.mlpProjBias });
    return tf.add(x, tf.reshape(dropout(out, config.residPdrop, ctx), [B, T, d]));
  };

  return {
    config,
    wte,
    tensors,
    embed(ids) {
      return tf.tidy(
        () => tf.reshape(tf.gather(wte, tf.reshape(ids, [-1])), [...ids.shape, d]) as tf.Tensor3D,
      );
    },
    forward(inputsEmbeds, ctx) {
      const [, T, width] = inputsEmbeds.shape;
      if (width !== d)
        throw new ConfigError(`GPT-2: input embeddings have width ${width}, the model's n_embd is ${d}`);
      if (T > config.nPositions) {
        throw new ConfigError(
          `GPT-2: ${T} input positions exceed the checkpoint's n_positions (${config.nPositions})`,
        );
      }
      return tf.tidy(() => {
        const mask = causalMask(T);
        let x = tf.add(inputsEmbeds, tf.slice(wpe, [0, 0], [T, d])) as tf.Tensor3D;
        x = dropout(x, config.embdPdrop, ctx);
        for (const block of blocks) x = feedForward(attend(x, block, mask, ctx), block, ctx);
        return layerNorm(x, lnF[0], lnF[1], eps);
      });
    },
    dispose() {
      for (const t of tensors) t.dispose();
      tensors.length = 0;
    },
  };
}
