import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError } from '@nflab/contracts';
import { readSpecFile } from '../src/spec-file.js';

describe('spec files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nflab-spec-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const write = async (name: string, content: string | Uint8Array): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  };

  test('a UTF-8 byte order mark before the JSON is ignored', async () => {
    const spec = { loto: 'loto6', h: 4 };
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(spec))]);
    expect(await readSpecFile(await write('bom.json', bom))).toEqual(spec);
    expect(await readSpecFile(await write('plain.json', JSON.stringify(spec)))).toEqual(spec);
  });

  test('a BOM anywhere else, bad JSON and a missing file are ConfigErrors naming the file', async () => {
    const inner = await write('inner.json', '{"h": 4}\uFEFF\uFEFF');
    await expect(readSpecFile(inner)).rejects.toThrow(ConfigError);
    await expect(readSpecFile(await write('bad.json', '{"h": '))).rejects.toThrow(
      /bad\.json" is not valid JSON/,
    );
    await expect(readSpecFile(join(dir, 'missing.json'))).rejects.toThrow(/cannot read spec file/);
  });

  test('a file nested deeper than the JSON depth limit is a ConfigError, not a stack overflow', async () => {
    const depth = 100_000;
    const deep = await write('deep.json', `{"h": ${'['.repeat(depth)}${']'.repeat(depth)}}`);
    await expect(readSpecFile(deep)).rejects.toThrow(/deep\.json" nests deeper than 64 levels/);
    // Brackets inside strings are text, not nesting.
    const quoted = await write('quoted.json', JSON.stringify({ name: '['.repeat(1000) }));
    expect(await readSpecFile(quoted)).toEqual({ name: '['.repeat(1000) });
  });
});
