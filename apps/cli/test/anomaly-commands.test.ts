/**
 * `nflab model anomalies` on both databases: a seeded finished run's one anomalous residual is
 * flagged (text and JSON), stored and audited; bad flags and unknown runs are refused by name.
 */
import { describe, expect, test } from 'vitest';
import { listResidualAnomalies } from '@nflab/store';
import { RESIDUAL_SPIKE_INDEX, residualRunDay, seedResidualRun, testDbKinds } from '@nflab/store/testing';
import { runCli, useCliTarget, withTargetDb } from './run-cli.js';

const SPIKE_DAY = residualRunDay(RESIDUAL_SPIKE_INDEX);

describe.each(await testDbKinds())('nflab model anomalies on %s', (kind) => {
  const cli = useCliTarget(kind, 'nflab-cli-anomalies-');
  const run = (...rest: string[]) => runCli([...cli.args, ...rest], cli.dbs);

  test('flags the spike as text and as JSON, stores it and audits the detection', async () => {
    const runId = await withTargetDb(kind, cli, (db) => seedResidualRun(db));
    const text = await run('model', 'anomalies', runId, '--method', 'zscore');
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toContain(`run ${runId}: zscore against each series' first half, 1 flagged`);
    expect(text.stdout).toContain(SPIKE_DAY);
    expect(text.stdout).toMatch(/skipped N3 \(AutoMLP\): .*no spread/);

    const json = await run('--json', 'model', 'anomalies', runId, '--method', 'iqr', '--k', '3');
    expect(json.exitCode, json.stderr).toBe(0);
    const result = JSON.parse(json.stdout);
    expect(result).toMatchObject({ runId, method: 'iqr', reference: 'first_half' });
    expect(result.anomalies).toEqual([
      expect.objectContaining({ unique_id: 'N1', ds: SPIKE_DAY, threshold: 3 }),
    ]);

    const { stored, audited } = await withTargetDb(kind, cli, async (db) => ({
      stored: await listResidualAnomalies(db, runId),
      audited: (
        await db.query<{ actor: string; details: Record<string, unknown> }>(
          `SELECT actor, details FROM nf_audit_log WHERE action = 'run.anomalies' AND entity_id = $1 ORDER BY id`,
          [runId],
        )
      ).rows,
    }));
    expect(stored.map((row) => `${row.method}:${row.unique_id}:${row.ds}`)).toEqual([
      `iqr:N1:${SPIKE_DAY}`,
      `zscore:N1:${SPIKE_DAY}`,
    ]);
    expect(audited.map((row) => row.details.method)).toEqual(['zscore', 'iqr']);
    expect(audited[0]?.actor).toMatch(/^cli:/);
  });

  test('bad flags name the field; an unknown run is refused with its id', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const cases: [string[], string][] = [
      [[id, '--method', 'dbscan'], 'flags.method'],
      [[id, '--method', 'zscore', '--h', '4'], 'h applies to cusum, not to zscore'],
      [[id, '--method', 'mad', '--threshold', 'high'], 'flags.threshold'],
      [['run-1', '--method', 'mad'], 'run.id'],
      [[id, '--method', 'mad'], `run ${id} does not exist`],
    ];
    for (const [args, message] of cases) {
      const result = await run('model', 'anomalies', ...args);
      expect(result.exitCode, args.join(' ')).not.toBe(0);
      expect(result.stderr, args.join(' ')).toContain(message);
    }
  });
});
