/**
 * `nflab registry ls|show|promote|stage|alias|archive|card|compare` and `nflab model predict name@alias`, on the
 * embedded database and on the PostgreSQL server when one is reachable: versions, stages and
 * aliases move, bad input names the argument, and `show` lists who moved what when (the CLI's own
 * audit entries, as `cli:<os user>`).
 */
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { RunQueue, submitRun } from '@nflab/runner';
import { importFile, type OpenedDb } from '@nflab/store';
import { testDbKinds } from '@nflab/store/testing';
import { runCli, useCliTarget, withTargetDb } from './run-cli.js';

const SAMPLE = fileURLToPath(new URL('../../../data/samples/loto6_2000-2020.cp932.csv', import.meta.url));
const RUN = { loto: 'loto6', unique_ids: ['N1'], model: 'nhits', config: { input_size: 8 }, max_steps: 5 };
const ACTOR = `cli:${userInfo().username}`;

describe.each(await testDbKinds())('nflab registry on %s', (kind) => {
  const cli = useCliTarget(kind, 'nflab-cli-registry-');
  const run = (...rest: string[]) => runCli([...cli.args, ...rest], cli.dbs);
  const withLabDb = <T>(fn: (db: OpenedDb) => Promise<T>): Promise<T> => withTargetDb(kind, cli, fn);
  const json = async (...args: string[]): Promise<Record<string, unknown>> => {
    const result = await run('--json', ...args);
    expect(result.exitCode, `${args.join(' ')}: ${result.stderr}${result.stdout}`).toBe(0);
    return JSON.parse(result.stdout) as Record<string, unknown>;
  };

  test('promote, alias, stage, archive, ls, show and predict by alias', async () => {
    // Two finished runs with saved models, as a worker leaves them.
    const runs = await withLabDb(async (db) => {
      await importFile(db, { file: SAMPLE, game: 'loto6' });
      const ids: string[] = [];
      for (let i = 0; i < 2; i += 1) {
        const { runId } = await submitRun(db, new RunQueue(db), RUN);
        await db.query(`UPDATE nf_model_runs SET status = 'running', start_time = now() WHERE id = $1`, [
          runId,
        ]);
        await db.query(
          `UPDATE nf_model_runs SET status = 'finished', end_time = now(), best_params = '{"input_size": 4}',
                  model_properties = '{"modelDir": "/nowhere/model"}' WHERE id = $1`,
          [runId],
        );
        ids.push(runId);
      }
      return ids as [string, string];
    });
    const [first, second] = runs as [string, string];

    expect(await json('registry', 'promote', first, '--name', 'nhits-loto6')).toMatchObject({
      name: 'nhits-loto6',
      version: 1,
      stage: 'dev',
    });
    expect(
      await json(
        'registry',
        'promote',
        second,
        '--name',
        'nhits-loto6',
        '--stage',
        'staging',
        '--alias',
        'challenger',
      ),
    ).toMatchObject({ version: 2, stage: 'staging', aliases: ['challenger'] });
    expect(await json('registry', 'alias', 'nhits-loto6', 'champion', '1')).toMatchObject({
      version: 1,
      aliases: ['champion'],
    });
    expect(await json('registry', 'alias', 'nhits-loto6', 'champion', '2')).toMatchObject({
      version: 2,
      aliases: ['challenger', 'champion'],
    });
    expect(await json('registry', 'stage', 'nhits-loto6', '2', 'prod')).toMatchObject({ stage: 'prod' });
    expect(await json('registry', 'archive', 'nhits-loto6', '1')).toMatchObject({ stage: 'archived' });
    expect(await json('registry', 'alias', 'nhits-loto6', 'challenger', '--delete')).toMatchObject({
      deleted: true,
      version: 2,
    });

    const listed = await json('registry', 'ls');
    expect(listed.items).toEqual([
      expect.objectContaining({
        name: 'nhits-loto6',
        versions: 2,
        stages: { archived: 1, prod: 2 },
        aliases: { champion: 2 },
      }),
    ]);
    const text = await run('registry', 'ls');
    expect(text.stdout).toContain('archived:1 prod:2');

    const shown = (await json('registry', 'show', 'nhits-loto6')) as {
      history: { actor: string; action: string; details: Record<string, unknown> }[];
    };
    expect(shown.history.map((entry) => [entry.actor, entry.action, entry.details.version])).toEqual([
      [ACTOR, 'model.alias_delete', 2],
      [ACTOR, 'model.stage', 1],
      [ACTOR, 'model.stage', 2],
      [ACTOR, 'model.alias', 2],
      [ACTOR, 'model.alias', 1],
      [ACTOR, 'model.promote', 2],
      [ACTOR, 'model.promote', 1],
    ]);

    const predicted = await json('model', 'predict', 'nhits-loto6@champion', '--detach');
    expect(predicted).toMatchObject({ status: 'queued', operation: 'predict' });
    const parent = await withLabDb(async (db) => {
      const { rows } = await db.query<{ parent_run_id: string }>(
        'SELECT parent_run_id FROM nf_model_runs WHERE id = $1',
        [predicted.id],
      );
      return rows[0]?.parent_run_id;
    });
    expect(parent).toBe(second);

    const card = await run('registry', 'card', 'nhits-loto6@champion');
    expect(card.exitCode, card.stderr).toBe(0);
    expect(card.stdout).toContain('# Model card: nhits-loto6 version 2');
    expect(card.stdout).toContain('**Beats chance: not established.**');
    const out = join(cli.home, 'card.html');
    expect(await json('registry', 'card', 'nhits-loto6/1', '--format', 'html', '--out', out)).toMatchObject({
      file: out,
    });
    expect(await readFile(out, 'utf8')).toContain('Model card: nhits-loto6 version 1');

    // Champion (version 2) vs challenger (version 1) on stored forecasts of the same draws.
    await json('registry', 'alias', 'nhits-loto6', 'challenger', '1');
    await withLabDb(async (db) => {
      for (const [runId, miss] of [
        [second, 1],
        [first, 3],
      ] as const)
        await db.query(
          `INSERT INTO nf_cv_results (run_id, unique_id, ds, cutoff, y, model, suffix, value)
           SELECT $1, 'N1', DATE '2020-01-01' + i, DATE '2020-01-01' + i - 1, 10, 'NHITS', '', 10 + $2 * (i % 3 - 1)
             FROM generate_series(0, 11) AS i`,
          [runId, miss],
        );
    });
    const compared = await json('registry', 'compare', 'nhits-loto6', '--recent', '10');
    expect(compared).toMatchObject({
      points: 10,
      champion: { alias: 'champion', version: 2 },
      challenger: { alias: 'challenger', version: 1 },
    });
    expect(compared.verdict).toContain('the champion has the lower MAE');
  });

  test('bad input names the argument; unknown models, versions and aliases are not found', async () => {
    const badStage = await run('registry', 'stage', 'nhits-loto6', '1', 'gold');
    expect(badStage.exitCode).not.toBe(0);
    expect(badStage.stderr).toContain('arguments.stage');
    const badAlias = await run('registry', 'alias', 'nhits-loto6', 'Champion!', '1');
    expect(badAlias.exitCode).not.toBe(0);
    expect(badAlias.stderr).toContain('arguments.alias');
    const badFormat = await run('registry', 'card', 'nhits-loto6/1', '--format', 'pdf');
    expect(badFormat.exitCode).not.toBe(0);
    expect(badFormat.stderr).toContain('options.format');
    const badRecent = await run('registry', 'compare', 'nhits-loto6', '--recent', '2');
    expect(badRecent.exitCode).not.toBe(0);
    expect(badRecent.stderr).toContain('options.recent');
    const badReference = await run('registry', 'card', 'nhits-loto6');
    expect(badReference.exitCode).not.toBe(0);
    expect(badReference.stderr).toContain('arguments.version');
    const badVersion = await run('registry', 'archive', 'nhits-loto6', 'one');
    expect(badVersion.exitCode).not.toBe(0);
    expect(badVersion.stderr).toContain('arguments.version');
    for (const args of [
      ['registry', 'show', 'nope'],
      ['registry', 'archive', 'nhits-loto6', '9'],
      ['registry', 'alias', 'nhits-loto6', 'nobody', '--delete'],
      ['model', 'predict', 'nhits-loto6@nobody', '--detach'],
      ['registry', 'card', 'nhits-loto6@nobody'],
      ['registry', 'card', 'nope/1'],
    ]) {
      const result = await run(...args);
      expect(result.exitCode, args.join(' ')).not.toBe(0);
      expect(result.stderr, args.join(' ')).toMatch(/does not exist|has no (version|alias)/);
    }
  });
});
