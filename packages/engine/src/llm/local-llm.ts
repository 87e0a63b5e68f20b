/**
 * A GPT-2 and its tokenizer from one local directory in the Hugging Face layout. The lab never
 * downloads weights: a missing directory is a ConfigError saying how to get them.
 */
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '@nflab/contracts';
import { loadBpeTokenizer, type BpeTokenizer } from './bpe-tokenizer.js';
import { loadGpt2Checkpoint, readGpt2Config, type Gpt2Config } from './gpt2-checkpoint.js';
import { createGpt2, type Gpt2 } from './gpt2.js';

/** How to get GPT-2's weights, for messages. */
export const GPT2_DOWNLOAD_HINT =
  'download them once, e.g. `huggingface-cli download openai-community/gpt2 config.json model.safetensors ' +
  'tokenizer.json vocab.json merges.txt --local-dir ~/models/gpt2`, and set llm to that directory';

/** A loaded language model and its tokenizer. */
export interface LocalLlm {
  readonly dir: string;
  readonly model: Gpt2;
  readonly tokenizer: BpeTokenizer;
}

/** Checks that `dir` (a model's `field`, named in errors) is given and is a directory; returns it resolved. */
export function requireLlmDir(dir: string | undefined, field: string, label: string): string {
  if (dir === undefined || dir.trim() === '') {
    throw new ConfigError(
      `${label}: ${field} is required: the path of a local GPT-2 directory (config.json, model.safetensors, tokenizer.json or vocab.json + merges.txt); the lab never fetches weights — ${GPT2_DOWNLOAD_HINT}`,
    );
  }
  // '~/models/gpt2' as a shell would read it (configs are JSON, no shell expands them).
  const resolved = path.resolve(
    dir === '~' || dir.startsWith('~/') ? path.join(homedir(), dir.slice(1)) : dir,
  );
  if (!existsSync(resolved) || !statSync(resolved).isDirectory()) {
    throw new ConfigError(`${label}: ${field} '${dir}' is not a directory; ${GPT2_DOWNLOAD_HINT}`);
  }
  return resolved;
}

/** Reads only `dir/config.json` (cheap: sizes can be checked before the weights are read). */
export function readLlmConfig(dir: string): Gpt2Config {
  return readGpt2Config(dir);
}

/** Loads the tokenizer first (small, fails fast), then the weights onto the current backend. */
export function loadLocalLlm(dir: string): LocalLlm {
  const tokenizer = loadBpeTokenizer(dir);
  const model = createGpt2(loadGpt2Checkpoint(dir));
  if (tokenizer.eosTokenId >= model.config.vocabSize) {
    model.dispose();
    throw new ConfigError(
      `${dir}: the tokenizer's end-of-text id ${tokenizer.eosTokenId} is outside config.json's vocab_size ${model.config.vocabSize}`,
    );
  }
  return { dir, model, tokenizer };
}
