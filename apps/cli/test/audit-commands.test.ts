/**
 * `nflab audit ls`, and the audit entries CLI commands write: the same table and audit.jsonl the
 * server writes, with the operating-system user as the actor.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, test, vi } from 'vitest';
import type { AuditEntryDto } from '@nflab/contracts';
import type { OpenedDb } from '@nflab/store';
import { testDbKinds } from '@nflab/store/testing';
import { runCli, useCliTarget, withTargetDb } from './run-cli.js';

const SAMPLE = fileURLToPath(new URL('../../../data/samples/loto6_2000-2020.cp932.csv', import.meta.url));
const RUN = {
  loto: 'loto6',
  unique_ids: ['N1'],
  model: 'mlp',
  config: { input_size: 6 },
  h: 1,
  max_steps: 4,
};
const ACTOR = `cli:${userInfo().username}`;

describe.each(await testDbKinds())('nflab audit on %s', (kind) => {
  const cli = useCliTarget(kind, 'nflab-cli-audit-');
  const run = (...rest: string[]) => runCli([...cli.args, ...rest], cli.dbs);
  const withLabDb = <T>(fn: (db: OpenedDb) => Promise<T>): Promise<T> => withTargetDb(kind, cli, fn);
  const listed = async (...filters: string[]): Promise<AuditEntryDto[]> => {
    const result = await run('--json', 'audit', 'ls', ...filters);
    expect(result.exitCode, result.stderr + result.stdout).toBe(0);
    return (JSON.parse(result.stdout) as { items: AuditEntryDto[] }).items;
  };
  /** The newest entry of `action` in the table and in audit.jsonl: same actor, target, outcome. */
  const expectAudited = async (action: string, entityId: string): Promise<AuditEntryDto> => {
    const [entry] = await listed('--action', action, '--limit', '1');
    expect(entry, action).toMatchObject({
      actor: ACTOR,
      entity_id: entityId,
      outcome: 'success',
      client_address: null,
    });
    expect(entry?.details).toMatchObject({ via: 'cli' });
    const lines = (await readFile(join(cli.home, 'audit.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.filter((line) => line.action === action).at(-1), action).toMatchObject({
      actor: ACTOR,
      entity_id: entityId,
      outcome: 'success',
      client_address: null,
    });
    return entry as AuditEntryDto;
  };

  test('user add and user token are audited', async () => {
    const stdin = vi
      .spyOn(process, 'stdin', 'get')
      .mockReturnValue(Readable.from(['gina-secret-1\n']) as typeof process.stdin);
    const added = await run('--json', 'user', 'add', 'gina', '--role', 'editor', '--password-stdin').finally(
      () => stdin.mockRestore(),
    );
    expect(added.exitCode, added.stderr).toBe(0);
    const user = JSON.parse(added.stdout) as { id: string };
    expect((await expectAudited('user.create', user.id)).details).toMatchObject({
      username: 'gina',
      role: 'editor',
    });
    const token = await run('--json', 'user', 'token', 'gina', '--name', 'ci');
    const { id, token: secret } = JSON.parse(token.stdout) as { id: string; token: string };
    await expectAudited('token.create', id);
    expect(await readFile(join(cli.home, 'audit.jsonl'), 'utf8')).not.toContain(secret);
  });

  // About 25 CLI calls, each opening the database anew: PGlite takes tens of seconds on a busy machine.
  test(
    'data import, run, sweep, cancel, resume and model operations are audited',
    { timeout: 180_000 },
    async () => {
      expect((await run('data', 'import', SAMPLE, '--game', 'loto6')).exitCode).toBe(0);
      const imported = await expectAudited('data.import', 'nf_loto_final');
      expect(imported.details).toMatchObject({ game: 'loto6', file: SAMPLE });

      const spec = join(cli.home, 'run.json');
      await writeFile(spec, JSON.stringify(RUN));
      const started = await run('--json', 'run', spec, '--detach');
      expect(started.exitCode, started.stderr).toBe(0);
      const runId = (JSON.parse(started.stdout) as { id: string }).id;
      await expectAudited('run.start', runId);
      expect((await run('cancel', runId)).exitCode).toBe(0);
      await expectAudited('run.cancel', runId);

      const sweepSpec = join(cli.home, 'sweep.json');
      await writeFile(sweepSpec, JSON.stringify({ ...RUN, h: [1, 2] }));
      const swept = await run('--json', 'sweep', 'run', sweepSpec, '--detach');
      expect(swept.exitCode, swept.stderr).toBe(0);
      const { sweepId } = JSON.parse(swept.stdout) as { sweepId: string };
      expect((await expectAudited('sweep.start', sweepId)).details).toMatchObject({ runs: 2 });
      expect((await run('cancel', sweepId)).exitCode).toBe(0);
      await expectAudited('sweep.cancel', sweepId);
      expect((await run('sweep', 'resume', sweepId, '--detach')).exitCode).toBe(0);
      await expectAudited('sweep.resume', sweepId);

      // Model operations need a finished parent with a saved model: a second run, marked so as a worker would.
      const parentSpec = join(cli.home, 'parent.json');
      await writeFile(parentSpec, JSON.stringify({ ...RUN, max_steps: 5 }));
      const parent = (
        JSON.parse((await run('--json', 'run', parentSpec, '--detach')).stdout) as { id: string }
      ).id;
      await withLabDb(async (db) => {
        await db.query(`UPDATE nf_model_runs SET status = 'running', start_time = now() WHERE id = $1`, [
          parent,
        ]);
        await db.query(
          `UPDATE nf_model_runs SET status = 'finished', end_time = now(), best_params = '{}',
           model_properties = '{"modelDir": "/nowhere/model"}' WHERE id = $1`,
          [parent],
        );
      });
      for (const [operation, ...flags] of [
        ['predict'],
        ['refit'],
        ['cv'],
        ['importance', '--method', 'permutation'],
      ]) {
        const done = await run('--json', 'model', operation as string, parent, ...flags, '--detach');
        expect(done.exitCode, done.stderr).toBe(0);
        const child = JSON.parse(done.stdout) as { id: string };
        expect((await expectAudited(`run.${operation}`, parent)).details).toMatchObject({
          child_run_id: child.id,
        });
      }
    },
  );

  test('audit ls filters by action, user, since and limit, newest first, and prints a table', async () => {
    const all = await listed();
    expect(all.length).toBeGreaterThanOrEqual(10);
    const ats = all.map((entry) => Date.parse(entry.at));
    expect(ats).toEqual([...ats].sort((a, b) => b - a));
    expect((await listed('--user', ACTOR)).length).toBe(all.length);
    expect(await listed('--user', 'someone-else')).toEqual([]);
    expect(await listed('--since', '2999-01-01')).toEqual([]);
    expect(await listed('--limit', '3')).toHaveLength(3);
    expect((await listed('--action', 'run.start')).map((entry) => entry.action)).toEqual([
      'run.start',
      'run.start',
    ]);
    const human = await run('audit', 'ls', '--action', 'data.import');
    expect(human.stdout).toMatch(/^at\s+actor\s+action\s+target\s+outcome\s+client_address/);
    expect(human.stdout).toContain('table nf_loto_final');
  });

  test('bad filters are input errors (exit 2) naming the flag', async () => {
    for (const [flag, value] of [
      ['--since', 'yesterday'],
      ['--since', '0000-01-01'],
      ['--action', 'run.explode'],
      ['--limit', '0'],
    ] as const) {
      const bad = await run('audit', 'ls', flag, value);
      expect(bad.exitCode, `${flag} ${value}`).toBe(2);
      expect(bad.stderr, `${flag} ${value}`).toContain(flag);
    }
  });
});
