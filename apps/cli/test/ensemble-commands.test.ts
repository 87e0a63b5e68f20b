/**
 * `nflab model ensemble`, `nflab analyze list|show` and `nflab analyze importance|shap` on the
 * PostgreSQL server when one is reachable (else PGlite): an ensemble of seeded finished runs combined in-process (no training) and printed with
 * its members' weights and errors and its score against the best baseline; bad input refused with
 * the field named; stored comparisons listed for a run and read back; the importance forms reaching
 * the `model importance` path (shown by the errors it gives, without training a model).
 */
import { describe, expect, test } from 'vitest';
import type { OpenedDb } from '@nflab/store';
import {
  ENSEMBLE_MEMBER_OFFSETS,
  seedComparableRuns,
  seedEnsembleMembers,
  testDbKinds,
  type EnsembleFixture,
} from '@nflab/store/testing';
import { runCli, useCliTarget, withTargetDb } from './run-cli.js';

const MISSING = '00000000-0000-4000-8000-000000000000';
const [NHITS, MLP, TIDE] = Object.values(ENSEMBLE_MEMBER_OFFSETS) as [number, number, number];

interface EnsembleJson {
  id: string;
  status: string;
  operation: string;
  model_name: string;
  ensemble: {
    method: string;
    weight_metric: string;
    members: { run_id: string; position: number; model_name: string; weight: number | null; error: number }[];
    score: {
      source: string;
      mae: number;
      points: number;
      best_baseline: string | null;
      best_baseline_mae: number | null;
      p_value: number | null;
      beats_best_baseline: boolean;
    };
  };
}

// One database is enough: these commands' SQL runs on both in the runner and server tests, and every
// CLI call here opens the database anew (PGlite's start in each child process dominates the time).
const kinds = (await testDbKinds()).slice(-1);

describe.each(kinds)('nflab model ensemble and analyze list|show|importance|shap on %s', (kind) => {
  const cli = useCliTarget(kind, 'nflab-cli-ensemble-');
  const run = (...rest: string[]) => runCli([...cli.args, ...rest], cli.dbs);
  const withLabDb = <T>(fn: (db: OpenedDb) => Promise<T>): Promise<T> => withTargetDb(kind, cli, fn);
  const runCount = () =>
    withLabDb(
      async (db) =>
        (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM nf_model_runs')).rows[0]?.n,
    );
  let fixture: EnsembleFixture;

  test('--json: an inverse-error ensemble is combined, members weighted ∝ 1 / MAE, scored against the best baseline, audited', async () => {
    fixture = await withLabDb(seedEnsembleMembers);
    const done = await run('--json', 'model', 'ensemble', ...fixture.memberIds, '--method', 'inverse_error');
    expect(done.exitCode, done.stderr).toBe(0);
    const body = JSON.parse(done.stdout) as EnsembleJson;
    expect(body).toMatchObject({ status: 'finished', operation: 'ensemble', model_name: 'ensemble' });
    expect(body.ensemble).toMatchObject({ method: 'inverse_error', weight_metric: 'mae' });
    const errors = [NHITS, MLP, TIDE].map(Math.abs);
    const total = errors.reduce((s, e) => s + 1 / e, 0);
    expect(body.ensemble.members.map((m) => [m.run_id, m.position, m.model_name])).toEqual(
      fixture.memberIds.map((id, i) => [id, i + 1, ['nhits', 'mlp', 'tide'][i]]),
    );
    body.ensemble.members.forEach((m, i) => {
      expect(m.weight).toBeCloseTo(1 / (errors[i] ?? 1) / total, 12);
      expect(m.error).toBeCloseTo(errors[i] ?? 0, 12);
    });
    // First window: the plain mean offset (nothing known at its cutoff); second: the weighted one.
    const weighted = [NHITS, MLP, TIDE].reduce((s, o, i) => s + o / (errors[i] ?? 1) / total, 0);
    const mae = (Math.abs((NHITS + MLP + TIDE) / 3) + Math.abs(weighted)) / 2;
    expect(body.ensemble.score).toMatchObject({ source: 'cv', points: 8 });
    expect(body.ensemble.score.mae).toBeCloseTo(mae, 12);
    expect(body.ensemble.score.best_baseline).toEqual(expect.any(String));
    expect(body.ensemble.score.best_baseline_mae).toEqual(expect.any(Number));
    const audit = await withLabDb(
      async (db) =>
        (
          await db.query<{ actor: string; entity: string; details: Record<string, unknown> }>(
            `SELECT actor, entity, details FROM nf_audit_log WHERE action = 'run.ensemble' AND entity_id = $1`,
            [body.id],
          )
        ).rows,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor).toMatch(/^cli:/);
    expect(audit[0]?.details).toMatchObject({
      members: [...fixture.memberIds],
      method: 'inverse_error',
      via: 'cli',
    });
  });

  test('text: a mean ensemble prints the run, the members with equal weights and errors, and the score line', async () => {
    const [a, b] = fixture.memberIds;
    const text = await run('model', 'ensemble', a, b);
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/queued ensemble run [0-9a-f-]{36} \(mean of 2 runs\)/);
    expect(text.stdout).toContain('mean ensemble of 2 runs:');
    expect(text.stdout).toMatch(/position\s+run\s+model\s+weight\s+mae\n/);
    expect(text.stdout).toMatch(new RegExp(`\\n1\\s+${a.slice(0, 8)}\\s+nhits\\s+0\\.5000\\s+1\\.0000\\n`));
    expect(text.stdout).toMatch(new RegExp(`\\n2\\s+${b.slice(0, 8)}\\s+mlp\\s+0\\.5000\\s+2\\.0000\\n`));
    // Mean offset (1 − 2) / 2: MAE 0.5 at every one of the 8 evaluated points.
    expect(text.stdout).toMatch(/cv mae 0\.5000 over 8 points; best baseline \w+ \d+\.\d{4} \(/);
    const detached = await run('--json', 'model', 'ensemble', a, b, '--method', 'median', '--detach');
    expect(detached.exitCode, detached.stderr).toBe(0);
    expect(JSON.parse(detached.stdout)).toMatchObject({ status: 'queued', operation: 'ensemble' });
  });

  test('bad input: one member, an unknown run, a bad method or a cancelled member — named, non-zero exit, nothing queued', async () => {
    const [a, b] = fixture.memberIds;
    const before = await runCount();
    const one = await run('model', 'ensemble', a);
    expect(one.exitCode).toBe(2);
    expect(one.stderr).toContain('ensemble.members: members: an ensemble combines at least 2 runs');
    const unknown = await run('model', 'ensemble', a, MISSING);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toBe(`error: members: no run ${MISSING}\n`);
    const notUuid = await run('model', 'ensemble', a, 'nope');
    expect(notUuid.exitCode).toBe(2);
    expect(notUuid.stderr).toContain('ensemble.members[1]');
    const method = await run('model', 'ensemble', a, b, '--method', 'mode');
    expect(method.exitCode).toBe(2);
    expect(method.stderr).toContain('ensemble.method');
    const metric = await run('model', 'ensemble', a, b, '--weight-metric', 'mape');
    expect(metric.stderr).toContain('ensemble.weight_metric');
    const cancelled = await run('--json', 'model', 'ensemble', a, fixture.cancelledId);
    expect(cancelled.exitCode).toBe(2);
    expect(JSON.parse(cancelled.stdout).error.message).toBe(
      `members: run ${fixture.cancelledId} is cancelled; an ensemble combines finished runs`,
    );
    expect(await runCount()).toBe(before);
  });

  test('analyze list|show: a stored comparison listed for each run it read, shown as analyze compare prints it', async () => {
    const seeded = await withLabDb(async (db) => {
      const runs = await seedComparableRuns(db);
      // Queued, so no later command's worker would try to train it.
      await db.query('DELETE FROM nf_model_runs WHERE id = $1', [runs.queuedId]);
      return runs;
    });
    const [a, b, c] = seeded.runIds;
    const compared = await run('--json', 'analyze', 'compare', a, b, c, '--resamples', '50');
    expect(compared.exitCode, compared.stderr).toBe(0);
    const { analysisId } = JSON.parse(compared.stdout) as { analysisId: number };

    const listed = await run('--json', 'analyze', 'list', '--run', b);
    expect(listed.exitCode, listed.stderr).toBe(0);
    const { items } = JSON.parse(listed.stdout) as {
      items: { id: number; kind: string; run_ids: string[] }[];
    };
    expect(items.map((item) => [item.id, item.kind])).toEqual([[analysisId, 'compare']]);
    expect([...(items[0]?.run_ids ?? [])].sort()).toEqual([a, b, c].sort());
    const table = await run('analyze', 'list', '--run', b);
    expect(table.stdout).toMatch(
      new RegExp(`id\\s+kind\\s+run_ids\\s+created_by\\s+created_at\\n[- ]+\\n${analysisId}\\s+compare\\s`),
    );
    expect((await run('analyze', 'list', '--run', fixture.memberIds[0])).stdout).toBe(
      `no stored analysis reads run ${fixture.memberIds[0]}\n`,
    );

    const shown = await run('analyze', 'show', String(analysisId));
    expect(shown.exitCode, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^analysis ${analysisId}: compare of `));
    expect(shown.stdout).toContain('8 shared points over 2 series (h = 4)');
    expect(shown.stdout).toContain('Friedman p =');
    const json = JSON.parse((await run('--json', 'analyze', 'show', String(analysisId))).stdout);
    expect(json).toMatchObject({
      id: analysisId,
      kind: 'compare',
      inputs: { resamples: 50 },
      result: { best: a },
    });
  });

  test('analyze list|show: bad ids and limits name the field (exit 2); unknown runs and analyses exit 1', async () => {
    const bad = await run('analyze', 'list', '--run', 'nope');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('option.run');
    const limit = await run('analyze', 'list', '--run', MISSING, '--limit', '0');
    expect(limit.exitCode).toBe(2);
    expect(limit.stderr).toContain('option.limit');
    const unknownRun = await run('analyze', 'list', '--run', MISSING);
    expect(unknownRun.exitCode).toBe(1);
    expect(unknownRun.stderr).toBe(`error: run ${MISSING} does not exist\n`);
    const badId = await run('analyze', 'show', 'abc');
    expect(badId.exitCode).toBe(2);
    expect(badId.stderr).toContain('argument.id');
    const unknown = await run('analyze', 'show', '987654321');
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain('analysis 987654321 does not exist');
  });

  test('analyze importance|shap take the model importance path: its method, its options, its errors', async () => {
    const missing = await run('analyze', 'shap', MISSING);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toBe(`error: run ${MISSING} does not exist\n`);
    expect((await run('analyze', 'importance', MISSING)).stderr).toBe(
      `error: run ${MISSING} does not exist\n`,
    );
    // shap is kernel_shap: nsamples is its option (checked), repeats is permutation's (no such flag).
    const nsamples = await run('analyze', 'shap', MISSING, '--nsamples', '0');
    expect(nsamples.exitCode).toBe(2);
    expect(nsamples.stderr).toContain('operation.nsamples');
    const repeats = await run('analyze', 'shap', MISSING, '--repeats', '2');
    expect(repeats.exitCode).toBe(2);
    expect(repeats.stderr).toContain("unknown option '--repeats'");
    // importance is permutation unless --method says otherwise.
    const permutation = await run('analyze', 'importance', MISSING, '--nsamples', '5');
    expect(permutation.exitCode).toBe(2);
    expect(permutation.stderr).toContain('"nsamples"');
    const method = await run('analyze', 'importance', MISSING, '--method', 'lime');
    expect(method.exitCode).toBe(2);
    expect(method.stderr).toContain('operation.method');
    const kernel = await run('analyze', 'importance', MISSING, '--method', 'kernel_shap', '--nsamples', '5');
    expect(kernel.stderr).toBe(`error: run ${MISSING} does not exist\n`);
  });
});
