/**
 * TimeLLM: each window is RevIN-normalised and cut into patches; a circular conv embeds the
 * patches, a cross-attention reprograms them onto text prototypes (a learned linear map of the
 * LLM's word embeddings), and a prompt describing the dataset, the task and the window's statistics
 * is tokenized, embedded and put in front. A frozen GPT-2 reads the sequence; the first `d_ff`
 * features of its last `P` positions go through a flatten head to the horizon, and RevIN's
 * statistics are restored. Only the patch embedding, the mapping, the reprogramming and the head
 * are trained; the LLM is read from the local directory `llm` and never saved with the model.
 * @see Jin et al. (2024), "Time-LLM: Time Series Forecasting by Reprogramming Large Language Models", ICLR. https://arxiv.org/abs/2310.01728
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ConfigError } from '@nflab/contracts';
import type { ModelNetwork, ModelSpec } from '../../model/types.js';
import { createDataEmbedding } from '../../nn/data-embedding.js';
import { dropout } from '../../nn/dropout.js';
import { createLinear } from '../../nn/linear.js';
import { createParamStore } from '../../nn/params.js';
import { createRevin } from '../../nn/revin.js';
import { loadLocalLlm, readLlmConfig, requireLlmDir, type LocalLlm } from '../../llm/local-llm.js';
import { checkDims, toNetwork } from '../network.js';
import { patchCount, toPatches } from '../patchtst/patching.js';
import { buildPrompt } from './prompt.js';
import { createReprogramming } from './reprogramming.js';
import { timellmSearchSpace } from './search-space.js';

/** Text prototypes the word embeddings are mapped to (NeuralForecast's fixed `num_tokens`). */
export const TIMELLM_NUM_TOKENS = 1024;

/** Longest tokenized prompt (NeuralForecast's tokenizer call truncates at `max_length=2048`). */
const MAX_PROMPT_TOKENS = 2048;

/** TimeLLM's own hyperparameters, with NeuralForecast's names and defaults. */
export const timellmConfigSchema = z.object({
  /** Steps per patch. @default 16 */
  patch_len: z.number().int().min(1).default(16),
  /** Steps between patch starts. @default 8 */
  stride: z.number().int().min(1).default(8),
  /** LLM features kept per position, and the width of each reprogramming head. @default 128 */
  d_ff: z.number().int().min(1).default(128),
  /** Autocorrelation lags quoted in the prompt. @default 5 */
  top_k: z.number().int().min(1).default(5),
  /** Width of the LLM's embeddings; must equal config.json's n_embd (GPT-2 small: 768). @default 768 */
  d_llm: z.number().int().min(1).default(768),
  /** Width of the patch embedding. @default 32 */
  d_model: z.number().int().min(1).default(32),
  /** Heads of the reprogramming attention. @default 8 */
  n_heads: z.number().int().min(1).default(8),
  /** Accepted for NeuralForecast compatibility; the series is univariate, so it sizes nothing. @default 7 */
  enc_in: z.number().int().min(1).default(7),
  /** Accepted for NeuralForecast compatibility and unused, as there. @default 7 */
  dec_in: z.number().int().min(1).default(7),
  /**
   * Local directory of a GPT-2 checkpoint in the Hugging Face layout (config.json, model.safetensors,
   * tokenizer.json or vocab.json + merges.txt). Required: NeuralForecast downloads
   * 'openai-community/gpt2' when it is missing, the lab never fetches weights.
   */
  llm: z.string().min(1).optional(),
  /** Deprecated in NeuralForecast and ignored there: the config comes from `llm`. */
  llm_config: z.unknown().optional(),
  /** Deprecated in NeuralForecast and ignored there: the tokenizer comes from `llm`. */
  llm_tokenizer: z.unknown().optional(),
  /** Stored and unused, as in NeuralForecast 3.2: every layer of the checkpoint runs. @default 32 */
  llm_num_hidden_layers: z.number().int().min(1).default(32),
  /** Stored and unused, as in NeuralForecast 3.2 (only the last hidden state is read). @default true */
  llm_output_attention: z.boolean().default(true),
  /** Stored and unused, as in NeuralForecast 3.2 (only the last hidden state is read). @default true */
  llm_output_hidden_states: z.boolean().default(true),
  /** Dataset description opening the prompt; null prints as `None`, as in NeuralForecast. @default null */
  prompt_prefix: z.string().nullable().default(null),
  /** Dropout of the patch embedding and the head. @default 0.1 */
  dropout: z.number().min(0).max(1).default(0.1),
});

/** Parsed TimeLLM config. */
export type TimellmConfig = z.output<typeof timellmConfigSchema>;

/** NeuralForecast's capability table row: no exogenous variables. */
const exogenous = { futr: false, hist: false, stat: false } as const;

/** NeuralForecast's TimeLLM training defaults: 5 steps at 1e-4, no decays, 1024 windows, no scaler. */
const TIMELLM_COMMON_DEFAULTS = {
  max_steps: 5,
  learning_rate: 1e-4,
  num_lr_decays: 0,
  windows_batch_size: 1024,
  inference_windows_batch_size: 1024,
  scaler_type: 'identity',
} as const;

/** Checks the sizes that do not need the checkpoint; returns the patching. */
function checkSizes(config: TimellmConfig, inputSize: number) {
  const { patch_len: patchLen, stride, top_k: topK } = config;
  if (patchLen > inputSize + stride) {
    throw new ConfigError(
      `TimeLLM: patch_len (${patchLen}) must be at most input_size + stride (${inputSize} + ${stride}): the padded window has no room for one patch`,
    );
  }
  if (topK > inputSize)
    throw new ConfigError(`TimeLLM: top_k (${topK}) must be at most input_size (${inputSize})`);
  return { inputSize, patchLen, stride };
}

/** NeuralForecast's `TimeLLM`. */
export const timellm = {
  id: 'timellm',
  label: 'TimeLLM',
  description:
    'Time-LLM: patches reprogrammed into a frozen GPT-2 with a text prompt of the window statistics (Jin et al., ICLR 2024).',
  family: 'transformer',
  kind: 'univariate',
  forecastType: 'direct',
  exogenous,
  pointLossOnly: true,
  configSchema: timellmConfigSchema,
  commonDefaults: TIMELLM_COMMON_DEFAULTS,
  defaultSearchSpace: timellmSearchSpace,
  build(config, dims, seed) {
    checkDims({ label: 'TimeLLM', exogenous }, dims);
    if (dims.nOutputs !== 1) {
      throw new ConfigError(
        `TimeLLM only supports point losses (MAE, MSE, …), as NeuralForecast; the loss asks for ${dims.nOutputs} outputs per step`,
      );
    }
    const patching = checkSizes(config, dims.inputSize);
    const dir = requireLlmDir(config.llm, 'llm', 'TimeLLM');
    const llmConfig = readLlmConfig(dir);
    if (config.d_llm !== llmConfig.nEmbd) {
      throw new ConfigError(
        `TimeLLM: d_llm (${config.d_llm}) must equal the n_embd (${llmConfig.nEmbd}) of ${dir}/config.json`,
      );
    }
    if (config.d_ff > config.d_llm) {
      throw new ConfigError(
        `TimeLLM: d_ff (${config.d_ff}) must be at most d_llm (${config.d_llm}): it keeps the first d_ff LLM features`,
      );
    }
    const llm = loadLocalLlm(dir);
    return buildNetwork(config, { ...dims, patching }, llm, seed);
  },
} as const satisfies ModelSpec<TimellmConfig>;

/** The trainable layers around the frozen `llm`, as a network that also owns (and frees) the LLM. */
function buildNetwork(
  config: TimellmConfig,
  sizes: { h: number; inputSize: number; patching: ReturnType<typeof checkSizes> },
  llm: LocalLlm,
  seed: number,
): ModelNetwork {
  const { h, inputSize: L, patching } = sizes;
  const P = patchCount(patching);
  const { d_ff: dFf, d_llm: dLlm } = config;
  const { model, tokenizer } = llm;
  const V = model.config.vocabSize;
  const store = createParamStore('timellm', seed);
  // Creation order follows NeuralForecast's modules: patch_embedding, mapping_layer, reprogramming_layer, output_projection.
  const patchEmbedding = createDataEmbedding(store, {
    path: 'patch_embedding',
    inChannels: patching.patchLen,
    exogSize: 0,
    hiddenSize: config.d_model,
    dropout: config.dropout,
    positional: false,
  });
  const mapping = createLinear(store, {
    path: 'mapping_layer',
    inFeatures: V,
    outFeatures: TIMELLM_NUM_TOKENS,
  });
  const reprogramming = createReprogramming(store, {
    path: 'reprogramming_layer',
    dModel: config.d_model,
    nHeads: config.n_heads,
    dKeys: dFf,
    dLlm,
  });
  // NeuralForecast flattens [d_ff, P]; flattening [P, d_ff] is the same head with its inputs permuted.
  const head = createLinear(store, { path: 'output_projection/linear', inFeatures: P * dFf, outFeatures: h });
  const revin = createRevin(store, { path: 'normalize_layers', numFeatures: 1 });
  const promptContext = { prefix: config.prompt_prefix, h, inputSize: L, topK: config.top_k };
  // The mapping reads the word embeddings over the vocabulary: [V, d_llm] -> [d_llm, V], once (frozen).
  const wordEmbeddingsT = tf.keep(tf.transpose(model.wte) as tf.Tensor2D);

  /** Normalised windows [B, L] -> token ids [B, T_prompt], right-padded with end-of-text as NeuralForecast pads. */
  const promptIds = (windows: Float32Array, B: number): tf.Tensor2D => {
    const prompts = Array.from({ length: B }, (_, b) =>
      tokenizer
        .encode(buildPrompt(windows.subarray(b * L, (b + 1) * L), promptContext))
        .slice(0, MAX_PROMPT_TOKENS),
    );
    const T = Math.max(...prompts.map((p) => p.length));
    if (T + P > model.config.nPositions) {
      throw new ConfigError(
        `TimeLLM: the prompt (${T} tokens) and the ${P} patches exceed the LLM's n_positions (${model.config.nPositions}); shorten prompt_prefix or input_size`,
      );
    }
    const ids = new Int32Array(B * T).fill(tokenizer.eosTokenId);
    prompts.forEach((p, b) => {
      for (const [i, id] of p.entries()) {
        if (id >= V)
          throw new ConfigError(
            `TimeLLM: token id ${id} of the tokenizer in ${llm.dir} is outside vocab_size ${V}`,
          );
        ids[b * T + i] = id;
      }
    });
    return tf.tensor2d(ids, [B, T], 'int32');
  };

  const network = toNetwork(store, (batch, ctx) => {
    const B = batch.insampleY.shape[0];
    const { normalized, stats } = revin.normalize(batch.insampleY); // [B, L, 1]
    const windows = tf.reshape(normalized, [B, L]) as tf.Tensor2D;
    const prompt = model.embed(promptIds(windows.dataSync() as Float32Array, B)); // [B, T_prompt, d_llm]
    // Prototypes: word embeddings [V, d_llm] mapped over the vocabulary -> [d_llm, 1024] -> [1024, d_llm].
    const source = tf.transpose(mapping.apply(wordEmbeddingsT)) as tf.Tensor2D;
    const patches = patchEmbedding.apply(toPatches(windows, patching), undefined, ctx); // [B, P, d_model]
    const reprogrammed = reprogramming.apply(patches, source, ctx); // [B, P, d_llm]
    const hidden = model.forward(tf.concat([prompt, reprogrammed], 1), ctx); // [B, T_prompt + P, d_llm]
    const T = hidden.shape[1];
    const features = tf.reshape(tf.slice(hidden, [0, T - P, 0], [B, P, dFf]), [B, P * dFf]); // last P positions, first d_ff features
    const forecast = tf.reshape(dropout(head.apply(features), config.dropout, ctx), [B, h, 1]) as tf.Tensor3D;
    return revin.denormalize(forecast, stats);
  });
  return {
    ...network,
    frozen: [...model.tensors, wordEmbeddingsT],
    dispose() {
      network.dispose();
      model.dispose();
      wordEmbeddingsT.dispose();
    },
  };
}
