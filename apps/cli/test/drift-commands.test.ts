/**
 * `nflab drift check` on both databases: a synthetic loto6 table whose generator turns biased
 * halfway is reported as drifted (text and JSON, stored and audited), an unknown table and bad windows are
 * refused with the table or flag named.
 */
import { describe, expect, test } from 'vitest';
import { Rng } from '@nflab/contracts';
import { latestTableDriftChecks, saveDraws, synthesizeDraws } from '@nflab/store';
import { testDbKinds } from '@nflab/store/testing';
import { runCli, useCliTarget, withTargetDb } from './run-cli.js';

const DRAWS = synthesizeDraws({ game: 'loto6', draws: 300, seed: 3, start: '2016-01-01' });
const HALF = 150;
const REFERENCE = `${DRAWS[0]!.ds}..${DRAWS[HALF - 1]!.ds}`;
const CURRENT = `${DRAWS[HALF]!.ds}..${DRAWS[DRAWS.length - 1]!.ds}`;

// After draw 150, numbers 1–8 are four times as likely: the main numbers' frequencies drift.
const seedTable = async (db: Parameters<typeof saveDraws>[0]): Promise<void> => {
  const rng = new Rng('cli-bias');
  const draws = DRAWS.map((draw, i) => {
    if (i < HALF) return draw;
    const weights = Array.from({ length: 43 }, (_, n): number =>
      draw.bonus.includes(n + 1) ? 0 : n < 8 ? 4 : 1,
    );
    const main = Array.from({ length: 6 }, () => {
      const n = rng.weighted(weights);
      weights[n] = 0;
      return n + 1;
    }).sort((a, b) => a - b);
    return { ...draw, main };
  });
  await saveDraws(db, { table: 'nf_loto_cli_drift', draws });
};

describe.each(await testDbKinds())('nflab drift check on %s', (kind) => {
  const cli = useCliTarget(kind, 'nflab-cli-drift-');
  const run = (...rest: string[]) => runCli([...cli.args, ...rest], cli.dbs);

  test('reports the drifted numbers and columns, as text and as JSON, and stores the check', async () => {
    await withTargetDb(kind, cli, seedTable);
    const text = await run(
      'drift',
      'check',
      'nf_loto_cli_drift',
      '--reference',
      REFERENCE,
      '--current',
      CURRENT,
    );
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toContain(`nf_loto_cli_drift loto6: reference ${REFERENCE} vs current ${CURRENT}`);
    expect(text.stdout).toMatch(/numbers against the uniform draw \(150 draws\): .* drifted/);
    expect(text.stdout).toMatch(/tests drifted \(holm p < 0\.01\)/);
    const json = await run(
      '--json',
      'drift',
      'check',
      'nf_loto_cli_drift',
      '--loto',
      'loto6',
      '--reference',
      REFERENCE,
      '--current',
      CURRENT,
      '--series',
      'N1,N2,N3,N4,N5,N6',
      '--p-value',
      '0.001',
    );
    expect(json.exitCode, json.stderr).toBe(0);
    const summary = JSON.parse(json.stdout);
    expect(summary).toMatchObject({
      table: 'nf_loto_cli_drift',
      loto: 'loto6',
      thresholds: { pValue: 0.001 },
    });
    expect(summary.drifted).toContainEqual({ uniqueId: null, column: 'numbers' });
    expect(summary.columns).toHaveLength(6);
    const stored = await withTargetDb(kind, cli, (db) =>
      latestTableDriftChecks(db, { table: 'nf_loto_cli_drift' }),
    );
    expect(new Set(stored.map((row) => row.check_id))).toEqual(new Set([summary.checkId]));
    const audited = await withTargetDb(kind, cli, async (db) => {
      const { rows } = await db.query<{ actor: string; entity_id: string; details: Record<string, unknown> }>(
        `SELECT actor, entity_id, details FROM nf_audit_log WHERE action = 'data.drift_check' ORDER BY id`,
      );
      return rows;
    });
    expect(audited).toHaveLength(2);
    expect(audited[1]?.actor).toMatch(/^cli:/);
    expect(audited[1]).toMatchObject({
      entity_id: 'nf_loto_cli_drift',
      details: { loto: 'loto6', check_id: summary.checkId, via: 'cli' },
    });
  });

  test('an unknown table is refused with its name', async () => {
    const result = await run(
      'drift',
      'check',
      'nf_loto_nowhere',
      '--reference',
      REFERENCE,
      '--current',
      CURRENT,
    );
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('nf_loto_nowhere');
  });

  test('bad windows and thresholds name the flag', async () => {
    const cases: [string[], string][] = [
      [['--reference', '2016-01-01', '--current', CURRENT], '--reference must be FROM..TO'],
      [
        ['--reference', '2016-02-30..2016-12-31', '--current', CURRENT],
        '--reference: "2016-02-30" is not an ISO day',
      ],
      [
        ['--reference', REFERENCE, '--current', '2019-12-31..2019-01-01'],
        '--current: 2019-12-31 is after 2019-01-01',
      ],
      [['--reference', REFERENCE, '--current', REFERENCE], 'windows overlap'],
      [
        ['--reference', REFERENCE, '--current', CURRENT, '--p-value', '2'],
        '--p-value must be a number in (0, 1)',
      ],
      [
        ['--reference', REFERENCE, '--current', CURRENT, '--correction', 'fdr'],
        '--correction must be one of',
      ],
    ];
    for (const [args, message] of cases) {
      const result = await run('drift', 'check', 'nf_loto_cli_drift', ...args);
      expect(result.exitCode, args.join(' ')).not.toBe(0);
      expect(result.stderr, args.join(' ')).toContain(message);
    }
  });
});
