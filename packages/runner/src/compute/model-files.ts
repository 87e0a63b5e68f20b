/** A saved model directory as artifact rows and one digest, so a run can prove which model it used. */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { WrittenFile } from './compute-types.js';

/** Every file under `dir` (recursively), name order, each with its SHA-256 and size. */
export const describeFiles = async (dir: string): Promise<WrittenFile[]> => {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
  return Promise.all(
    files.map(async (file) => {
      const content = await readFile(file);
      return {
        path: file,
        kind: 'model' as const,
        sha256: createHash('sha256').update(content).digest('hex'),
        bytes: content.byteLength,
      };
    }),
  );
};

/** One digest over the files' relative names and digests: equal models, equal digest. */
export const digestOf = (dir: string, files: readonly WrittenFile[]): string => {
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${path.relative(dir, file.path)}\0${file.sha256}\n`);
  return hash.digest('hex');
};
