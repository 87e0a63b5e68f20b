/**
 * `nflab analyze leaderboard|compare` and `nflab sweep leaderboard` on both databases: the ranked
 * table with its corrected verdict, the comparison (stored, then read back), and bad input refused
 * with the field named.
 */
import { describe, expect, test } from 'vitest';
import type { OpenedDb } from '@nflab/store';
import {
  createExogenousTestTable,
  seedComparableRuns,
  testDbKinds,
  type ComparableRuns,
} from '@nflab/store/testing';
import { runCli, useCliTarget, withTargetDb } from './run-cli.js';

describe.each(await testDbKinds())('nflab analyze on %s', (kind) => {
  const cli = useCliTarget(kind, 'nflab-cli-analyze-');
  const run = (...rest: string[]) => runCli([...cli.args, ...rest], cli.dbs);
  const withLabDb = <T>(fn: (db: OpenedDb) => Promise<T>): Promise<T> => withTargetDb(kind, cli, fn);
  let seeded: ComparableRuns;

  test('leaderboard: a table with the baseline, the corrected p-values and the verdict (also as nflab sweep leaderboard)', async () => {
    seeded = await withLabDb(seedComparableRuns);
    const text = await run('analyze', 'leaderboard', seeded.sweepId);
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toContain('(baseline) historic_average');
    expect(text.stdout).toContain('holm p');
    expect(text.stdout).toContain('AutoKAN');
    expect(text.stdout).toContain('beats chance after correcting for 4 configurations: yes');
    const json = await run('--json', 'sweep', 'leaderboard', seeded.sweepId, '--correction', 'bonferroni');
    expect(json.exitCode, json.stderr).toBe(0);
    const board = JSON.parse(json.stdout);
    expect(board).toMatchObject({ correction: 'bonferroni', configurations: 4, ranked: 3 });
  });

  test('compare: the runs, pairwise tests against the best and the Friedman summary; a second call reads it back', async () => {
    const [a, b, c] = seeded.runIds;
    const first = await run('analyze', 'compare', a, b, c, '--resamples', '100');
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout).toContain('8 shared points over 2 series (h = 4)');
    expect(first.stdout).toContain('Friedman p =');
    const again = await run('--json', 'analyze', 'compare', a, b, c, '--resamples', '100');
    expect(JSON.parse(again.stdout)).toMatchObject({ cached: true, comparison: { best: a } });
  });

  test('bad input names the option; a sweep id that is not a uuid names the argument', async () => {
    const one = await run('analyze', 'compare', seeded.runIds[0]);
    expect(one.exitCode).not.toBe(0);
    expect(one.stderr).toContain('option.run_ids');
    const resamples = await run('analyze', 'compare', ...seeded.runIds, '--resamples', '9999999');
    expect(resamples.stderr).toContain('option.resamples');
    const metric = await run('analyze', 'leaderboard', seeded.sweepId, '--metric', 'r2');
    expect(metric.stderr).toContain('option.metric');
    const sweep = await run('analyze', 'leaderboard', 'not-a-sweep');
    expect(sweep.stderr).toContain('argument.id');
  });

  test('exog: every (series, column) pair with Holm- and BH-corrected Granger p-values and the count that survive', async () => {
    await withLabDb(createExogenousTestTable);
    const text = await run('analyze', 'exog', 'nf_loto_exog_test', '--loto', 'g', '--granger-max-lag', '2');
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toContain('nf_loto_exog_test g: 2 series × 2 columns');
    expect(text.stdout).toContain('rows left out for NULLs: B 1');
    expect(text.stdout).toContain("Granger-causes its series after Holm's correction over 4 tests: 1 pair");
    const json = JSON.parse(
      (await run('--json', 'analyze', 'exog', 'nf_loto_exog_test', '--loto', 'g', '--granger-max-lag', '2'))
        .stdout,
    );
    expect(json.cached).toBe(true);
    const bad = await run('analyze', 'exog', 'nf_loto_exog_test', '--loto', 'g', '--criterion', 'hqic');
    expect(bad.stderr).toContain('option.granger_criterion');
  });
});
