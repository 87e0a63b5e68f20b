import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUN_OPERATION_KINDS } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import { OPERATIONS, operationOf } from '../../src/compute/index.js';

const computeDir = fileURLToPath(new URL('../../src/compute/', import.meta.url));

describe('compute operations', () => {
  it('has one member per operation kind, each under its own kind', () => {
    expect(Object.keys(OPERATIONS).sort()).toEqual([...RUN_OPERATION_KINDS].sort());
    for (const kind of RUN_OPERATION_KINDS) expect(operationOf(kind).kind).toBe(kind);
  });

  it('starts train from its spec, an ensemble from its members, every other operation from a parent run', () => {
    const expected = (kind: string) =>
      kind === 'train' ? 'spec' : kind === 'ensemble' ? 'members' : 'parent';
    for (const kind of RUN_OPERATION_KINDS) expect(operationOf(kind).source).toBe(expected(kind));
  });
});

describe('compute/ is the database-free side', () => {
  it('imports neither the store nor the runner’s database side', async () => {
    const files = (await readdir(computeDir, { recursive: true })).filter((file) => file.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const source = await readFile(path.join(computeDir, file), 'utf8');
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((match) => match[1] ?? '');
      // The runner's tracing (OpenTelemetry's API alone) crosses into the compute thread too.
      const outside = imports.filter(
        (target) =>
          target === '@nflab/store' ||
          (target.startsWith('.') &&
            path.join(path.dirname(file), target).startsWith('..') &&
            !path.join(path.dirname(file), target).startsWith(path.join('..', 'tracing'))),
      );
      expect({ file, outside }).toEqual({ file, outside: [] });
    }
  });
});
