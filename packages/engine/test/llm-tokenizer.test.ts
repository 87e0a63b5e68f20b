import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@nflab/contracts';
import {
  GPT2_EOS,
  byteToUnicode,
  createBpeTokenizer,
  loadBpeTokenizer,
  pretokenize,
} from '../src/llm/bpe-tokenizer.js';
import { promptCorpus, writeTinyGpt2 } from './llm-fixtures.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'nf-llm-tok-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A hand-made vocabulary: the byte characters, then the merged tokens in merge order. */
const handMade = (merges: [string, string][]) => {
  const vocab = new Map(byteToUnicode().map((c, i) => [c, i]));
  for (const [a, b] of merges) if (!vocab.has(a + b)) vocab.set(a + b, vocab.size);
  vocab.set(GPT2_EOS, vocab.size);
  return createBpeTokenizer({
    vocab,
    merges,
    specialTokens: new Map([[GPT2_EOS, vocab.size - 1]]),
    source: 'hand',
  });
};

describe("GPT-2's byte-level pieces", () => {
  it('maps every byte to one printable character, spaces to Ġ and newlines to Ċ', () => {
    const table = byteToUnicode();
    expect(new Set(table).size).toBe(256);
    expect(table[32]).toBe('Ġ');
    expect(table[10]).toBe('Ċ');
    expect(table[65]).toBe('A');
  });

  it('splits contractions, words, numbers and symbols with one leading space, and whitespace runs', () => {
    expect(pretokenize("I'm here  now 123abc, ok!\n")).toEqual([
      'I',
      "'m",
      'Ġhere',
      'Ġ',
      'Ġnow',
      'Ġ123',
      'abc',
      ',',
      'Ġok',
      '!',
      'Ċ',
    ]);
    expect(pretokenize('é')).toEqual(['Ã©']); // two UTF-8 bytes, two characters
  });
});

describe('byte-level BPE', () => {
  it('applies merges lowest rank first, across the whole piece', () => {
    const tok = handMade([
      ['l', 'l'],
      ['h', 'e'],
      ['he', 'll'],
      ['Ġ', 'w'],
      ['o', 'r'],
    ]);
    const ids = tok.encode('hello world');
    // 'hello' -> h e ll o -> he ll o -> hell o; ' world' -> Ġw or l d ('Ġw' ranks before 'or').
    const pieces = ids.map((id) => tok.decode([id]));
    expect(pieces).toEqual(['hell', 'o', ' w', 'or', 'l', 'd']);
    expect(tok.decode(ids)).toBe('hello world');
  });

  it('matches special tokens whole and decodes them back', () => {
    const tok = handMade([]);
    const ids = tok.encode(`a${GPT2_EOS}b`);
    expect(ids).toEqual([byteToUnicode().indexOf('a'), tok.eosTokenId, byteToUnicode().indexOf('b')]);
    expect(tok.decode(ids)).toBe(`a${GPT2_EOS}b`);
  });

  it('round-trips prompts and arbitrary UTF-8 through the tiny checkpoint tokenizer, compressing the prompts', () => {
    const dir = path.join(root, 'json');
    writeTinyGpt2(dir);
    const tok = loadBpeTokenizer(dir);
    for (const text of [...promptCorpus(), 'héllo wörld 🙂\n\n  tabs\tand   spaces ', '']) {
      const ids = tok.encode(text);
      expect(tok.decode(ids)).toBe(text);
    }
    const prompt = promptCorpus()[0]!;
    expect(tok.encode(prompt).length).toBeLessThan(prompt.length / 2);
  });

  it('reads vocab.json + merges.txt to the same ids as tokenizer.json', () => {
    const files = path.join(root, 'files');
    writeTinyGpt2(files, { tokenizer: 'files' });
    const json = loadBpeTokenizer(path.join(root, 'json'));
    const text = `${promptCorpus()[3]!} and more`;
    expect(loadBpeTokenizer(files).encode(text)).toEqual(json.encode(text));
    expect(loadBpeTokenizer(files).eosTokenId).toBe(json.eosTokenId);
  });

  it('names the directory and the files it expected when the tokenizer is missing or malformed', () => {
    const dir = path.join(root, 'broken');
    writeTinyGpt2(dir, { tokenizer: 'files' });
    unlinkSync(path.join(dir, 'merges.txt'));
    expect(() => loadBpeTokenizer(dir)).toThrow(ConfigError);
    expect(() => loadBpeTokenizer(dir)).toThrow(
      /no GPT-2 tokenizer in .*broken: expected tokenizer.json, or vocab.json and merges.txt \(missing merges.txt\)/,
    );
    writeFileSync(path.join(dir, 'merges.txt'), 'a b c\n');
    expect(() => loadBpeTokenizer(dir)).toThrow(/merges.txt: merge "a b c" is not a pair of tokens/);
    writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify({ model: { type: 'WordPiece' } }));
    expect(() => loadBpeTokenizer(dir)).toThrow(/tokenizer.json: expected a BPE model/);
    writeFileSync(
      path.join(dir, 'tokenizer.json'),
      JSON.stringify({ model: { type: 'BPE', vocab: { a: 0 }, merges: [] } }),
    );
    expect(() => loadBpeTokenizer(dir)).toThrow(/no end-of-text token '<\|endoftext\|>'/);
  });
});
