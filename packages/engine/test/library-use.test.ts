import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

interface LibraryUse {
  backend: string;
  cvRows: number;
  forecastRows: number;
  finite: boolean;
  nativeAfterCv: boolean;
  nativeLoads: boolean;
}

/** Runs the fixture in a fresh Node process (no test setup, no backend chosen) and parses its report. */
const runFixture = (): Promise<LibraryUse> =>
  new Promise((resolve, reject) => {
    const fixture = fileURLToPath(new URL('./fixtures/library-use.ts', import.meta.url));
    const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], { cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`library-use exited with ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as LibraryUse);
    });
  });

describe('the engine as a library', () => {
  it('crossValidation, fit and predict bring up the default backend and the native path themselves', async () => {
    const result = await runFixture();
    expect(result).toMatchObject({ backend: 'wasm', cvRows: 2 * 2 * 2, forecastRows: 2 * 2, finite: true });
    // The native matmul path is on after the first call exactly where it loads on this machine.
    expect(result.nativeAfterCv).toBe(result.nativeLoads);
  }, 120_000);
});
