/**
 * Tiny random GPT-2 checkpoints in the Hugging Face layout, written on the fly: a safetensors
 * writer, a small BPE trainer over TimeLLM-style prompts, and the directory writer.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Rng } from '@nflab/contracts';
import { GPT2_EOS, byteToUnicode, pretokenize } from '../src/llm/bpe-tokenizer.js';
import { buildPrompt } from '../src/models/timellm/prompt.js';

/** A tensor to write. */
export interface TensorToWrite {
  readonly dtype?: 'F32' | 'F16' | 'BF16';
  readonly shape: readonly number[];
  readonly values: ArrayLike<number>;
}

/** float32 -> IEEE binary16 bits (round to nearest even, subnormals, overflow to infinity). */
export function floatToHalf(x: number): number {
  const f = new Float32Array([x]);
  const bits = new Uint32Array(f.buffer)[0] as number;
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >> shift;
    const rest = mant & ((1 << shift) - 1);
    const midpoint = 1 << (shift - 1);
    if (rest > midpoint || (rest === midpoint && half & 1)) half += 1;
    return sign | half;
  }
  let half = (e << 10) | (mant >> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half += 1; // a carry rounds into the exponent
  return sign | half;
}

/** Encodes `tensors` as a safetensors file (header padded with spaces to 8 bytes, as the reference writer does). */
export function encodeSafetensors(
  tensors: Readonly<Record<string, TensorToWrite>>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const header: Record<string, unknown> = metadata ? { __metadata__: metadata } : {};
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const dtype = t.dtype ?? 'F32';
    const bytes = new Uint8Array(t.values.length * (dtype === 'F32' ? 4 : 2));
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < t.values.length; i += 1) {
      const v = t.values[i] as number;
      if (dtype === 'F32') view.setFloat32(4 * i, v, true);
      else if (dtype === 'F16') view.setUint16(2 * i, floatToHalf(v), true);
      else view.setUint16(2 * i, new Uint32Array(new Float32Array([v]).buffer)[0]! >>> 16, true);
    }
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + json.length) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** A byte-level BPE learned from `corpus`: the 256 byte characters, then `mergeCount` merges, then `<|endoftext|>`. */
export function trainTinyBpe(corpus: readonly string[], mergeCount: number) {
  const words = new Map<string, number>();
  for (const text of corpus)
    for (const piece of pretokenize(text)) words.set(piece, (words.get(piece) ?? 0) + 1);
  const split = [...words].map(([w, n]) => ({ symbols: [...w], n }));
  const vocab: Record<string, number> = {};
  for (const c of byteToUnicode()) vocab[c] = Object.keys(vocab).length;
  const merges: [string, string][] = [];
  for (let m = 0; m < mergeCount; m += 1) {
    const counts = new Map<string, number>();
    for (const { symbols, n } of split) {
      for (let i = 0; i + 1 < symbols.length; i += 1) {
        const key = `${symbols[i]} ${symbols[i + 1]}`;
        counts.set(key, (counts.get(key) ?? 0) + n);
      }
    }
    const best = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
    if (!best) break;
    const [a, b] = best[0].split(' ') as [string, string];
    merges.push([a, b]);
    vocab[a + b] = Object.keys(vocab).length;
    for (const word of split) {
      const next: string[] = [];
      for (let i = 0; i < word.symbols.length; i += 1) {
        if (word.symbols[i] === a && word.symbols[i + 1] === b) {
          next.push(a + b);
          i += 1;
        } else next.push(word.symbols[i] as string);
      }
      word.symbols = next;
    }
  }
  vocab[GPT2_EOS] = Object.keys(vocab).length;
  return { vocab, merges };
}

/** TimeLLM prompts over a few windows, the tiny tokenizer's training text. */
export function promptCorpus(): string[] {
  const rng = new Rng(5);
  return Array.from({ length: 12 }, (_, i) => {
    const x = Array.from({ length: 16 }, (_, t) => Math.sin(t + i) + 0.3 * rng.normal());
    return buildPrompt(x, {
      prefix: i % 2 ? 'The dataset holds daily sales.' : null,
      h: 4,
      inputSize: 16,
      topK: 5,
    });
  });
}

/** Options of {@link writeTinyGpt2}. */
export interface TinyGpt2Options {
  /** @default 2 */
  readonly nLayer?: number;
  /** @default 32 */
  readonly nEmbd?: number;
  /** @default 2 */
  readonly nHead?: number;
  /** @default 512 */
  readonly nPositions?: number;
  /** @default 'F32' */
  readonly dtype?: 'F32' | 'F16' | 'BF16';
  /** 'json' writes tokenizer.json; 'files' writes vocab.json + merges.txt. @default 'json' */
  readonly tokenizer?: 'json' | 'files';
  /** Tensor-name prefix ('transformer.' as a GPT2LMHeadModel checkpoint). @default '' */
  readonly prefix?: string;
  /** @default 7 */
  readonly seed?: number;
  /** Extra config.json fields (override the defaults). */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Merges the tiny tokenizer learns. @default 300 */
  readonly merges?: number;
}

/** The tensors of a random GPT-2 of the given sizes, with HF names. */
export function randomGpt2Tensors(
  sizes: { nLayer: number; nEmbd: number; nPositions: number; vocabSize: number },
  seed: number,
  dtype: 'F32' | 'F16' | 'BF16' = 'F32',
): Record<string, TensorToWrite> {
  const rng = new Rng(seed);
  const { nEmbd: d } = sizes;
  const tensor = (shape: number[], scale: number, center = 0): TensorToWrite => ({
    dtype,
    shape,
    values: Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => center + scale * rng.normal()),
  });
  const out: Record<string, TensorToWrite> = {
    'wte.weight': tensor([sizes.vocabSize, d], 0.5),
    'wpe.weight': tensor([sizes.nPositions, d], 0.1),
  };
  for (let i = 0; i < sizes.nLayer; i += 1) {
    const p = `h.${i}`;
    Object.assign(out, {
      [`${p}.ln_1.weight`]: tensor([d], 0.1, 1),
      [`${p}.ln_1.bias`]: tensor([d], 0.1),
      [`${p}.attn.c_attn.weight`]: tensor([d, 3 * d], 0.2),
      [`${p}.attn.c_attn.bias`]: tensor([3 * d], 0.05),
      [`${p}.attn.c_proj.weight`]: tensor([d, d], 0.2),
      [`${p}.attn.c_proj.bias`]: tensor([d], 0.05),
      [`${p}.ln_2.weight`]: tensor([d], 0.1, 1),
      [`${p}.ln_2.bias`]: tensor([d], 0.1),
      [`${p}.mlp.c_fc.weight`]: tensor([d, 4 * d], 0.2),
      [`${p}.mlp.c_fc.bias`]: tensor([4 * d], 0.05),
      [`${p}.mlp.c_proj.weight`]: tensor([4 * d, d], 0.1),
      [`${p}.mlp.c_proj.bias`]: tensor([d], 0.05),
    });
  }
  out['ln_f.weight'] = tensor([d], 0.1, 1);
  out['ln_f.bias'] = tensor([d], 0.1);
  return out;
}

/** Writes a tiny random GPT-2 (config.json, model.safetensors, tokenizer) into `dir`; returns its config. */
export function writeTinyGpt2(dir: string, options: TinyGpt2Options = {}): Record<string, unknown> {
  mkdirSync(dir, { recursive: true });
  const { vocab, merges } = trainTinyBpe(promptCorpus(), options.merges ?? 300);
  const config: Record<string, unknown> = {
    model_type: 'gpt2',
    activation_function: 'gelu_new',
    n_embd: options.nEmbd ?? 32,
    n_layer: options.nLayer ?? 2,
    n_head: options.nHead ?? 2,
    n_positions: options.nPositions ?? 512,
    vocab_size: Object.keys(vocab).length,
    layer_norm_epsilon: 1e-5,
    n_inner: null,
    ...options.config,
  };
  const tensors = randomGpt2Tensors(
    {
      nLayer: config.n_layer as number,
      nEmbd: config.n_embd as number,
      nPositions: config.n_positions as number,
      vocabSize: Object.keys(vocab).length,
    },
    options.seed ?? 7,
    options.dtype,
  );
  const prefix = options.prefix ?? '';
  const named = Object.fromEntries(Object.entries(tensors).map(([k, v]) => [`${prefix}${k}`, v]));
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
  writeFileSync(path.join(dir, 'model.safetensors'), encodeSafetensors(named, { format: 'pt' }));
  if ((options.tokenizer ?? 'json') === 'json') {
    const eos = vocab[GPT2_EOS] as number;
    const tokenizer = {
      version: '1.0',
      added_tokens: [{ id: eos, content: GPT2_EOS, special: true }],
      pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
      decoder: { type: 'ByteLevel' },
      model: { type: 'BPE', vocab, merges: merges.map(([a, b]) => `${a} ${b}`) },
    };
    writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  } else {
    writeFileSync(path.join(dir, 'vocab.json'), JSON.stringify(vocab));
    writeFileSync(
      path.join(dir, 'merges.txt'),
      `#version: 0.2\n${merges.map(([a, b]) => `${a} ${b}`).join('\n')}\n`,
    );
  }
  return config;
}

let shared: string | undefined;

/**
 * A GPT-2 directory written once per test worker (removed when the process exits) for the
 * registry-wide tests: one layer of width 16, as those tests run every window's ~100-token prompt
 * through it for hundreds of steps.
 */
export function tinyGpt2Dir(): string {
  if (shared) return shared;
  const root = mkdtempSync(path.join(tmpdir(), 'nflab-tiny-gpt2-'));
  process.once('exit', () => rmSync(root, { recursive: true, force: true }));
  writeTinyGpt2(root, { nLayer: 1, nEmbd: 16, nHead: 2 });
  shared = root;
  return root;
}

/**
 * TimeLLM's small config for the registry-wide tests: a tiny random GPT-2 (d_llm = its n_embd,
 * written on first read of `llm`) and short patches that fit input sizes down to 4.
 */
export const TIMELLM_SMALL_CONFIG = {
  get llm() {
    return tinyGpt2Dir();
  },
  d_llm: 16,
  d_ff: 8,
  d_model: 8,
  n_heads: 2,
  patch_len: 4,
  stride: 2,
  top_k: 3,
};

/**
 * TimeLLM's pinned sizes for the Auto registry test (the space's input_size goes down to h = 4);
 * 16 windows a step, as DeepAR's 64: every window runs GPT-2 over its ~100-token prompt.
 */
export const TIMELLM_AUTO_CONFIG = {
  windows_batch_size: 16,
  get llm() {
    return tinyGpt2Dir();
  },
  d_llm: 16,
  d_ff: 8,
  d_model: 8,
  n_heads: 2,
  patch_len: 4,
  stride: 2,
  top_k: 3,
};
