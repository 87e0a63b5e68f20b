/**
 * `nflab report` on both databases: a run's, a sweep's and a comparison's report made, archived
 * and written to a file whose SHA-256 is the archived one (audited as the OS user), listed and
 * written back byte for byte; a PDF through Debian's Chromium; bad input refused with the field named.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { OpenedDb } from '@nflab/store';
import { seedComparableRuns, testDbKinds, type ComparableRuns } from '@nflab/store/testing';
import { runCli, useCliTarget, withTargetDb } from './run-cli.js';

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe.each(await testDbKinds())('nflab report on %s', (kind) => {
  const cli = useCliTarget(kind, 'nflab-cli-report-');
  const run = (...rest: string[]) => runCli([...cli.args, ...rest], cli.dbs);
  const withLabDb = <T>(fn: (db: OpenedDb) => Promise<T>): Promise<T> => withTargetDb(kind, cli, fn);
  let seeded: ComparableRuns;

  test('run: the HTML report is written, archived with its SHA-256, listed and audited', async () => {
    seeded = await withLabDb(seedComparableRuns);
    const out = join(cli.home, 'run.html');
    const made = await run('--json', 'report', 'run', seeded.runIds[0], '--out', out);
    expect(made.exitCode, made.stderr).toBe(0);
    const row = JSON.parse(made.stdout) as { id: number; sha256: string; kind: string };
    expect(row.kind).toBe('run');
    expect(sha256(out)).toBe(row.sha256);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('Beats chance');
    expect(html).toContain('<svg');
    const listed = await run('report', 'list', '--run', seeded.runIds[0]);
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(row.sha256.slice(0, 12));
    const again = join(cli.home, 'again.html');
    expect((await run('report', 'get', String(row.id), '--out', again)).exitCode).toBe(0);
    expect(sha256(again)).toBe(row.sha256);
    const audited = await withLabDb((db) =>
      db.query<{ actor: string }>(
        `SELECT actor FROM nf_audit_log WHERE action = 'report.create' AND entity_id = $1`,
        [String(row.id)],
      ),
    );
    expect(audited.rows[0]?.actor).toMatch(/^cli:/);
  });

  test('sweep and compare: the corrected leaderboard and the stored comparison', async () => {
    const sweepOut = join(cli.home, 'sweep.html');
    const sweep = await run(
      'report',
      'sweep',
      seeded.sweepId,
      '--correction',
      'bonferroni',
      '--out',
      sweepOut,
    );
    expect(sweep.exitCode, sweep.stderr).toBe(0);
    expect(sweep.stdout).toContain(sweepOut);
    const html = readFileSync(sweepOut, 'utf8');
    expect(html).toContain('bonferroni');
    expect(html).toContain('data-verdict="yes"');
    const [a, b] = seeded.runIds;
    const compared = await run('--json', 'analyze', 'compare', a, b, '--resamples', '50');
    expect(compared.exitCode, compared.stderr).toBe(0);
    const { analysisId } = JSON.parse(compared.stdout) as { analysisId: number };
    const compareOut = join(cli.home, 'compare.html');
    const made = await run('report', 'compare', String(analysisId), '--out', compareOut);
    expect(made.exitCode, made.stderr).toBe(0);
    expect(readFileSync(compareOut, 'utf8')).toContain('Pairs');
  });

  test.runIf(existsSync('/usr/bin/chromium'))(
    'run --format pdf writes a real PDF',
    async () => {
      const out = join(cli.home, 'run.pdf');
      const made = await run('report', 'run', seeded.runIds[1], '--format', 'pdf', '--out', out);
      expect(made.exitCode, made.stderr).toBe(0);
      expect(readFileSync(out).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    },
    120_000,
  );

  test('bad input is refused with the field named', async () => {
    const format = await run('report', 'run', seeded.runIds[0], '--format', 'docx');
    expect(format.exitCode).not.toBe(0);
    expect(format.stderr).toContain('format');
    const id = await run('report', 'run', 'nope');
    expect(id.exitCode).not.toBe(0);
    expect(id.stderr).toMatch(/id/);
    const missing = await run('report', 'get', '999999');
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stderr).toContain('does not exist');
  });
});
