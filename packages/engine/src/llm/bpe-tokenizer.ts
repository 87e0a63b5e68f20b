/**
 * GPT-2's byte-level BPE tokenizer, loaded from a local directory: `tokenizer.json` (the `tokenizers`
 * library's file) or `vocab.json` + `merges.txt`. Text is split by GPT-2's pre-tokenization pattern,
 * each piece's UTF-8 bytes are mapped to printable characters (`bytes_to_unicode`), and merges are
 * applied lowest rank first. Special tokens (`<|endoftext|>`) are matched whole before that.
 * Written here rather than taken from npm: it is ~150 lines with no dependency, loads synchronously
 * from disk (models are built synchronously), and never touches the network; @huggingface/tokenizers
 * reads only tokenizer.json and is not installed in the lab.
 * @see Sennrich et al. (2016), "Neural Machine Translation of Rare Words with Subword Units", ACL. https://arxiv.org/abs/1508.07909
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '@nflab/contracts';

/** GPT-2's pre-tokenization: contractions, letters, digits, other symbols, each with one leading space; whitespace runs. */
const PIECES = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** GPT-2's end-of-text token, its pad token in NeuralForecast's TimeLLM. */
export const GPT2_EOS = '<|endoftext|>';

/**
 * GPT-2's `bytes_to_unicode`: printable Latin-1 bytes map to themselves, every other byte b to
 * the character 256 + (its rank among those bytes), so every byte is one visible character.
 */
export function byteToUnicode(): string[] {
  const table: string[] = [];
  let extra = 0;
  for (let b = 0; b < 256; b += 1) {
    const printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    table.push(String.fromCodePoint(printable ? b : 256 + extra++));
  }
  return table;
}

/** GPT-2's pre-tokenization of plain `text` (no special tokens): its pieces, each byte mapped to its character. */
export function pretokenize(text: string): string[] {
  return Array.from(text.matchAll(PIECES), (m) =>
    Array.from(UTF8.encode(m[0]), (b) => BYTE_CHARS[b] as string).join(''),
  );
}

const BYTE_CHARS = byteToUnicode();
const UTF8 = new TextEncoder();

/** What a byte-level BPE is made of. */
export interface BpeDefinition {
  /** Token string (byte-mapped characters) to id. */
  readonly vocab: ReadonlyMap<string, number>;
  /** Merges in rank order, each a pair of token strings. */
  readonly merges: readonly (readonly [string, string])[];
  /** Tokens matched whole in the raw text (`<|endoftext|>`), to their ids. */
  readonly specialTokens: ReadonlyMap<string, number>;
  /** The end-of-text token, used as the pad token. @default '<|endoftext|>' */
  readonly eosToken?: string;
  /** Where the definition came from, for messages. */
  readonly source: string;
}

/** A GPT-2 tokenizer. */
export interface BpeTokenizer {
  readonly vocabSize: number;
  /** Id of the end-of-text token (NeuralForecast pads GPT-2 prompts with it). */
  readonly eosTokenId: number;
  /** Text -> token ids. */
  encode(text: string): number[];
  /** Token ids -> text (invalid UTF-8 decodes to U+FFFD, as transformers' `errors='replace'`). */
  decode(ids: readonly number[]): string;
}

/** Builds a tokenizer from its vocabulary, merges and special tokens. */
export function createBpeTokenizer(definition: BpeDefinition): BpeTokenizer {
  const { vocab, specialTokens, source } = definition;
  const eosToken = definition.eosToken ?? GPT2_EOS;
  const eosTokenId = specialTokens.get(eosToken) ?? vocab.get(eosToken);
  if (eosTokenId === undefined)
    throw new ConfigError(`${source}: no end-of-text token '${eosToken}' in the vocabulary`);
  const ranks = new Map<string, number>();
  definition.merges.forEach(([a, b], rank) => {
    if (!ranks.has(`${a} ${b}`)) ranks.set(`${a} ${b}`, rank);
  });
  const charBytes = new Map(BYTE_CHARS.map((c, b) => [c, b]));
  const idToToken = new Map<number, string>();
  for (const [token, id] of vocab) idToToken.set(id, token);
  for (const [token, id] of specialTokens) idToToken.set(id, token);
  const specials = [...specialTokens.keys()].sort((a, b) => b.length - a.length);
  const cache = new Map<string, number[]>();

  /** One pre-tokenized piece (byte-mapped) -> ids, merging the lowest-ranked adjacent pair until none is left. */
  const bpe = (piece: string): number[] => {
    const cached = cache.get(piece);
    if (cached) return cached;
    let symbols = [...piece];
    for (;;) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i + 1 < symbols.length; i += 1) {
        const rank = ranks.get(`${symbols[i]} ${symbols[i + 1]}`);
        if (rank !== undefined && rank < bestRank) [best, bestRank] = [i, rank];
      }
      if (best < 0) break;
      const [a, b] = [symbols[best], symbols[best + 1]];
      const merged: string[] = [];
      for (let i = 0; i < symbols.length; i += 1) {
        if (i + 1 < symbols.length && symbols[i] === a && symbols[i + 1] === b) {
          merged.push(`${a}${b}`);
          i += 1;
        } else merged.push(symbols[i] as string);
      }
      symbols = merged;
    }
    const ids = symbols.map((s) => {
      const id = vocab.get(s);
      if (id === undefined)
        throw new ConfigError(`${source}: token '${s}' (from '${piece}') is not in the vocabulary`);
      return id;
    });
    if (cache.size < 100_000) cache.set(piece, ids);
    return ids;
  };

  const encodePlain = (text: string, out: number[]): void => {
    for (const piece of pretokenize(text)) out.push(...bpe(piece));
  };

  return {
    vocabSize: Math.max(vocab.size, ...[...idToToken.keys()].map((id) => id + 1)),
    eosTokenId,
    encode(text) {
      const out: number[] = [];
      let rest = text;
      while (rest.length > 0) {
        // The earliest special token in the rest (the longest one where two start together).
        let at = -1;
        let found = '';
        for (const special of specials) {
          const i = rest.indexOf(special);
          if (i >= 0 && (at < 0 || i < at)) [at, found] = [i, special];
        }
        if (at < 0) {
          encodePlain(rest, out);
          break;
        }
        encodePlain(rest.slice(0, at), out);
        out.push(specialTokens.get(found) as number);
        rest = rest.slice(at + found.length);
      }
      return out;
    },
    decode(ids) {
      const bytes: number[] = [];
      for (const id of ids) {
        const token = idToToken.get(id);
        if (token === undefined) throw new ConfigError(`${source}: token id ${id} is not in the vocabulary`);
        if (specialTokens.has(token)) bytes.push(...UTF8.encode(token));
        else for (const c of token) bytes.push(charBytes.get(c) ?? 0x3f);
      }
      return new TextDecoder().decode(new Uint8Array(bytes));
    },
  };
}

/** Reads `file` as JSON, or throws a ConfigError naming it and `what` it should hold. */
function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new ConfigError(
      `${file} could not be read as JSON (${(cause as Error).message}); expected ${what}`,
      {
        cause,
      },
    );
  }
}

/** A vocabulary object { token: id } as a map, or a ConfigError naming `file`. */
function vocabOf(raw: unknown, file: string): Map<string, number> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`${file}: expected a vocabulary object { token: id }`);
  }
  const vocab = new Map<string, number>();
  for (const [token, id] of Object.entries(raw)) {
    if (!Number.isInteger(id))
      throw new ConfigError(`${file}: token '${token}' has id ${JSON.stringify(id)}, not an integer`);
    vocab.set(token, id as number);
  }
  return vocab;
}

/** One merge, 'a b' or ['a', 'b'], as a pair. */
function mergeOf(raw: unknown, file: string): [string, string] {
  const pair = typeof raw === 'string' ? raw.split(' ') : raw;
  if (
    !Array.isArray(pair) ||
    pair.length !== 2 ||
    !pair.every((s) => typeof s === 'string' && s.length > 0)
  ) {
    throw new ConfigError(`${file}: merge ${JSON.stringify(raw)} is not a pair of tokens`);
  }
  return pair as [string, string];
}

/** The eos token tokenizer_config.json names, if any. */
function configuredEos(dir: string): string | undefined {
  const file = path.join(dir, 'tokenizer_config.json');
  if (!existsSync(file)) return undefined;
  const eos = (readJson(file, 'a tokenizer config object') as { eos_token?: unknown } | null)?.eos_token;
  if (typeof eos === 'string') return eos;
  const content = (eos as { content?: unknown } | null | undefined)?.content;
  return typeof content === 'string' ? content : undefined;
}

/**
 * Loads the GPT-2 tokenizer in `dir`: tokenizer.json when present, else vocab.json + merges.txt;
 * neither is a ConfigError listing the files looked for.
 */
export function loadBpeTokenizer(dir: string): BpeTokenizer {
  const eosToken = configuredEos(dir);
  const json = path.join(dir, 'tokenizer.json');
  if (existsSync(json)) {
    const raw = readJson(json, 'a tokenizers file with a BPE model') as {
      model?: { type?: unknown; vocab?: unknown; merges?: unknown };
      added_tokens?: unknown;
    } | null;
    const model = raw?.model;
    if (model?.type !== 'BPE' || !Array.isArray(model.merges)) {
      throw new ConfigError(
        `${json}: expected a BPE model (model.type 'BPE' with model.vocab and model.merges)`,
      );
    }
    const specialTokens = new Map<string, number>();
    for (const added of Array.isArray(raw?.added_tokens) ? raw.added_tokens : []) {
      const { id, content } = added as { id?: unknown; content?: unknown };
      if (Number.isInteger(id) && typeof content === 'string') specialTokens.set(content, id as number);
    }
    return createBpeTokenizer({
      vocab: vocabOf(model.vocab, json),
      merges: model.merges.map((m) => mergeOf(m, json)),
      specialTokens,
      ...(eosToken === undefined ? {} : { eosToken }),
      source: json,
    });
  }
  const vocabFile = path.join(dir, 'vocab.json');
  const mergesFile = path.join(dir, 'merges.txt');
  if (!existsSync(vocabFile) || !existsSync(mergesFile)) {
    throw new ConfigError(
      `no GPT-2 tokenizer in ${dir}: expected tokenizer.json, or vocab.json and merges.txt (missing ${
        existsSync(vocabFile) ? 'merges.txt' : existsSync(mergesFile) ? 'vocab.json' : 'both'
      })`,
    );
  }
  const vocab = vocabOf(readJson(vocabFile, 'a vocabulary object { token: id }'), vocabFile);
  const merges = readFileSync(mergesFile, 'utf8')
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.length > 0 && !line.startsWith('#version'))
    .map((line) => mergeOf(line, mergesFile));
  const eos = eosToken ?? GPT2_EOS;
  const specialTokens = new Map<string, number>();
  const eosId = vocab.get(eos);
  if (eosId !== undefined) specialTokens.set(eos, eosId);
  return createBpeTokenizer({ vocab, merges, specialTokens, eosToken: eos, source: vocabFile });
}
