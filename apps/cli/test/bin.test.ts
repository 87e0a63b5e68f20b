import { spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const cliDir = fileURLToPath(new URL('../', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(cliDir, 'package.json'), 'utf8')) as { bin: Record<string, string> };
const bin = pkg.bin.nflab as string;

const work = mkdtempSync(join(tmpdir(), 'nflab-bin-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs a copy of the launcher placed as `<dir>/bin/nflab.js` (beside an optional `<dir>/dist/main.js`). */
const runLauncher = (dir: string, args: string[]) => {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  copyFileSync(join(cliDir, bin), join(dir, 'bin', 'nflab.js'));
  return spawnSync(process.execPath, [join(dir, 'bin', 'nflab.js'), ...args], { encoding: 'utf8' });
};

describe('the nflab bin (npx nflab)', () => {
  it('is a committed, executable node script, so npm links it at install time, before any build', () => {
    // npm skips a bin whose file is missing at install; dist/ only exists after `npm run build`.
    expect(bin).not.toMatch(/(^|\/)dist\//);
    const file = join(cliDir, bin);
    expect(readFileSync(file, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(() => accessSync(file, constants.X_OK)).not.toThrow();
    const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { bin?: Record<string, string> }>;
    };
    expect(lock.packages['apps/cli']?.bin).toEqual({ nflab: bin.replace(/^\.\//, '') });
  });

  it('runs the build with the arguments given', () => {
    const dir = join(work, 'built');
    mkdirSync(join(dir, 'dist'), { recursive: true });
    writeFileSync(
      join(dir, 'dist', 'main.js'),
      'process.stdout.write(JSON.stringify(process.argv.slice(2)));\n',
    );
    const result = runLauncher(dir, ['runs', 'ls', '--json']);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(['runs', 'ls', '--json']);
  });

  it('says to build first when there is no build', () => {
    const result = runLauncher(join(work, 'unbuilt'), ['--help']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('npm run build');
  });
});
