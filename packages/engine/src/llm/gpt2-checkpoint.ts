/**
 * Loads a GPT-2 checkpoint from a local directory in the Hugging Face layout: `config.json` (the
 * `GPT2Config` fields) and `model.safetensors` (the `GPT2Model` tensors, optionally under the
 * `transformer.` prefix a `GPT2LMHeadModel` checkpoint uses). Nothing is fetched: the user
 * downloads the files (see the README's "TimeLLM and GPT-2 weights"). Every defect is a
 * ConfigError naming the file and what was expected.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '@nflab/contracts';
import { openSafetensors, type FloatTensorData } from './safetensors.js';

/** Activations GPT-2 checkpoints name in `activation_function` that the engine runs. */
export const GPT2_ACTIVATIONS = [
  'gelu_new',
  'gelu_pytorch_tanh',
  'gelu_fast',
  'gelu',
  'relu',
  'silu',
  'swish',
] as const;

/** A GPT-2 activation name. */
export type Gpt2Activation = (typeof GPT2_ACTIVATIONS)[number];

/** The `GPT2Config` fields the forward reads, with transformers' defaults for the optional ones. */
export interface Gpt2Config {
  /** Width d of the embeddings and the residual stream. */
  readonly nEmbd: number;
  readonly nLayer: number;
  readonly nHead: number;
  /** Learned positions, the longest input. */
  readonly nPositions: number;
  readonly vocabSize: number;
  /** Hidden width of each MLP (`n_inner`, null = 4·n_embd). */
  readonly nInner: number;
  /** @default 1e-5 */
  readonly layerNormEpsilon: number;
  /** @default 'gelu_new' */
  readonly activation: Gpt2Activation;
  /** Dropout after the embeddings, on the attention weights, and on each residual branch. @default 0.1 each */
  readonly embdPdrop: number;
  readonly attnPdrop: number;
  readonly residPdrop: number;
}

/** One block's weights; Conv1D kernels keep their checkpoint layout [in, out]. */
export interface Gpt2BlockWeights {
  readonly ln1: readonly [FloatTensorData, FloatTensorData];
  readonly attnKernel: FloatTensorData;
  readonly attnBias: FloatTensorData;
  readonly attnProjKernel: FloatTensorData;
  readonly attnProjBias: FloatTensorData;
  readonly ln2: readonly [FloatTensorData, FloatTensorData];
  readonly fcKernel: FloatTensorData;
  readonly fcBias: FloatTensorData;
  readonly mlpProjKernel: FloatTensorData;
  readonly mlpProjBias: FloatTensorData;
}

/** A loaded checkpoint, as float32 arrays. */
export interface Gpt2Checkpoint {
  readonly dir: string;
  readonly config: Gpt2Config;
  /** Token embeddings [vocab, d]. */
  readonly wte: FloatTensorData;
  /** Position embeddings [n_positions, d]. */
  readonly wpe: FloatTensorData;
  readonly blocks: readonly Gpt2BlockWeights[];
  readonly lnF: readonly [FloatTensorData, FloatTensorData];
}

/** Reads `dir/config.json` and checks the GPT-2 fields. */
export function readGpt2Config(dir: string): Gpt2Config {
  const file = path.join(dir, 'config.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ConfigError(
      missing
        ? `${file} does not exist; expected a GPT-2 config.json (Hugging Face layout) in the llm directory`
        : `${file} is not valid JSON: ${(cause as Error).message}`,
      { cause },
    );
  }
  if (typeof raw !== 'object' || raw === null) throw new ConfigError(`${file}: expected a JSON object`);
  const json = raw as Record<string, unknown>;
  if (json.model_type !== undefined && json.model_type !== 'gpt2') {
    throw new ConfigError(
      `${file}: model_type is '${String(json.model_type)}'; the engine runs 'gpt2' checkpoints`,
    );
  }
  const int = (key: string, fallback?: number): number => {
    const value = json[key] ?? fallback;
    if (!Number.isInteger(value) || (value as number) < 1) {
      throw new ConfigError(`${file}: ${key} must be a positive integer, got ${JSON.stringify(json[key])}`);
    }
    return value as number;
  };
  const rate = (key: string): number => {
    const value = json[key] ?? 0.1;
    if (typeof value !== 'number' || value < 0 || value >= 1) {
      throw new ConfigError(`${file}: ${key} must be a number in [0, 1), got ${JSON.stringify(json[key])}`);
    }
    return value;
  };
  const nEmbd = int('n_embd');
  const nHead = int('n_head');
  if (nEmbd % nHead !== 0)
    throw new ConfigError(`${file}: n_embd (${nEmbd}) must be divisible by n_head (${nHead})`);
  const activation = json.activation_function ?? 'gelu_new';
  if (!GPT2_ACTIVATIONS.includes(activation as Gpt2Activation)) {
    throw new ConfigError(
      `${file}: activation_function '${String(activation)}' is not supported; expected one of ${GPT2_ACTIVATIONS.join(', ')}`,
    );
  }
  const epsilon = json.layer_norm_epsilon ?? 1e-5;
  if (typeof epsilon !== 'number' || !(epsilon > 0)) {
    throw new ConfigError(
      `${file}: layer_norm_epsilon must be a positive number, got ${JSON.stringify(epsilon)}`,
    );
  }
  return {
    nEmbd,
    nLayer: int('n_layer'),
    nHead,
    nPositions: int('n_positions'),
    vocabSize: int('vocab_size'),
    nInner: json.n_inner === null || json.n_inner === undefined ? 4 * nEmbd : int('n_inner'),
    layerNormEpsilon: epsilon,
    activation: activation as Gpt2Activation,
    embdPdrop: rate('embd_pdrop'),
    attnPdrop: rate('attn_pdrop'),
    residPdrop: rate('resid_pdrop'),
  };
}

/** Loads the checkpoint in `dir`: config.json, then every tensor of model.safetensors the forward needs. */
export function loadGpt2Checkpoint(dir: string): Gpt2Checkpoint {
  const config = readGpt2Config(dir);
  const file = openSafetensors(path.join(dir, 'model.safetensors'));
  const prefix = file.entries.has('wte.weight')
    ? ''
    : file.entries.has('transformer.wte.weight')
      ? 'transformer.'
      : undefined;
  if (prefix === undefined) {
    throw new ConfigError(
      `${file.path} has no tensor 'wte.weight' (nor 'transformer.wte.weight'); expected a GPT-2 checkpoint`,
    );
  }
  const { nEmbd: d, nInner: inner } = config;
  const tensor = (name: string, shape: readonly number[]): FloatTensorData => {
    const full = `${prefix}${name}`;
    const entry = file.entries.get(full);
    if (!entry) {
      throw new ConfigError(
        `${file.path} has no tensor '${full}'; expected [${shape.join(', ')}] for config.json's sizes`,
      );
    }
    if (entry.shape.length !== shape.length || entry.shape.some((n, i) => n !== shape[i])) {
      throw new ConfigError(
        `${file.path}: tensor '${full}' has shape [${entry.shape.join(', ')}]; config.json's sizes expect [${shape.join(', ')}]`,
      );
    }
    return file.read(full);
  };
  const norm = (name: string): [FloatTensorData, FloatTensorData] => [
    tensor(`${name}.weight`, [d]),
    tensor(`${name}.bias`, [d]),
  ];
  const blocks = Array.from({ length: config.nLayer }, (_, i): Gpt2BlockWeights => {
    const p = `h.${i}`;
    return {
      ln1: norm(`${p}.ln_1`),
      attnKernel: tensor(`${p}.attn.c_attn.weight`, [d, 3 * d]),
      attnBias: tensor(`${p}.attn.c_attn.bias`, [3 * d]),
      attnProjKernel: tensor(`${p}.attn.c_proj.weight`, [d, d]),
      attnProjBias: tensor(`${p}.attn.c_proj.bias`, [d]),
      ln2: norm(`${p}.ln_2`),
      fcKernel: tensor(`${p}.mlp.c_fc.weight`, [d, inner]),
      fcBias: tensor(`${p}.mlp.c_fc.bias`, [inner]),
      mlpProjKernel: tensor(`${p}.mlp.c_proj.weight`, [inner, d]),
      mlpProjBias: tensor(`${p}.mlp.c_proj.bias`, [d]),
    };
  });
  return {
    dir,
    config,
    wte: tensor('wte.weight', [config.vocabSize, d]),
    wpe: tensor('wpe.weight', [config.nPositions, d]),
    blocks,
    lnF: norm('ln_f'),
  };
}
