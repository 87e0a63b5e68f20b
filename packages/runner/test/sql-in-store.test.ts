/** Structure: the runner reaches the lab's tables only through the store's repositories. */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

// A statement naming one of the lab's tables: FROM nf_x, INTO nf_x, UPDATE nf_x, JOIN nf_x, TABLE nf_x.
const TABLE_SQL = /\b(?:FROM|INTO|UPDATE|JOIN|TABLE)\s+nf_\w+/i;

const sourceFiles = async (dir: string): Promise<string[]> => {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
};

describe('runner source', () => {
  test('holds no SQL on nf_ tables (it belongs in packages/store/src/repos)', async () => {
    const offenders: string[] = [];
    for (const file of await sourceFiles(SRC)) {
      const lines = (await readFile(file, 'utf8')).split('\n');
      lines.forEach((line, index) => {
        if (TABLE_SQL.test(line)) offenders.push(`${path.relative(SRC, file)}:${index + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });
});
