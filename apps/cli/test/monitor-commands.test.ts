/**
 * `nflab monitor add|ls|run|rm` on both databases: a monitor on a synthetic loto6 table whose
 * numbers turn biased is defined, listed, run (alert, stored, posted to its webhook — a local
 * receiver — as a scheduled alert is) and removed, audited; an unknown
 * table, a bad cron (naming --cron), a taken name and an unknown run to retrain are refused.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, onTestFinished, test } from 'vitest';
import { listAuditEntries, saveDraws, synthesizeDraws, type Draw } from '@nflab/store';
import { testDbKinds } from '@nflab/store/testing';
import { runCli, useCliTarget, withTargetDb } from './run-cli.js';

// After draw 150 the main numbers are the six smallest that are not the bonus: drift by construction.
const DRAWS: Draw[] = synthesizeDraws({ game: 'loto6', draws: 300, seed: 5, start: '2016-01-01' }).map(
  (draw, i) =>
    i < 150
      ? draw
      : {
          ...draw,
          main: Array.from({ length: 12 }, (_, k) => k + 1)
            .filter((n) => !draw.bonus.includes(n))
            .slice(0, 6),
        },
);

describe.each(await testDbKinds())('nflab monitor on %s', (kind) => {
  const cli = useCliTarget(kind, 'nflab-cli-monitor-');
  const run = (...rest: string[]) => runCli([...cli.args, ...rest], cli.dbs);
  const add = (name: string, ...rest: string[]) =>
    run('monitor', 'add', name, '--table', 'nf_loto_cli_monitor', '--cron', '0 6 * * 1', ...rest);

  test('add, ls, run (alert, to the webhook) and rm, each write audited', async () => {
    await withTargetDb(kind, cli, (db) => saveDraws(db, { table: 'nf_loto_cli_monitor', draws: DRAWS }));
    const bodies: unknown[] = [];
    const receiver = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        bodies.push(JSON.parse(text));
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    onTestFinished(() => void receiver.close());
    const added = await add(
      'weekly',
      '--current-draws',
      '150',
      '--reference-draws',
      '150',
      '--webhook',
      hook,
    );
    expect(added.exitCode, added.stderr).toBe(0);
    expect(added.stdout).toMatch(
      /^monitor weekly: nf_loto_cli_monitor loto6, last 150 draws vs the 150 before, "0 6 \* \* 1" \(UTC\); next \d{4}-\d\d-\d\dT06:00:00Z/,
    );

    const listed = await run('--json', 'monitor', 'ls');
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { name: 'weekly', table_name: 'nf_loto_cli_monitor', loto: 'loto6', p_value: 0.01, last: null },
    ]);

    const checked = await run('monitor', 'run', 'weekly');
    expect(checked.exitCode, checked.stderr).toBe(0);
    expect(checked.stdout).toMatch(/^monitor weekly: alert \(check [0-9a-f-]{36}\)\ndrifted: .*numbers/);
    expect(checked.stdout).toContain('webhook: delivered (HTTP 204)');
    expect(bodies).toEqual([
      expect.objectContaining({
        type: 'monitor-alert',
        monitor: 'weekly',
        table_name: 'nf_loto_cli_monitor',
      }),
    ]);
    const text = await run('monitor', 'ls');
    expect(text.stdout).toMatch(/weekly .* alert \d{4}-/);

    const removed = await run('monitor', 'rm', 'weekly');
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(removed.stdout).toContain('removed monitor weekly');
    const again = await run('monitor', 'rm', 'weekly');
    expect(again.exitCode).not.toBe(0);
    expect(again.stderr).toContain('monitor "weekly" does not exist');

    const audited = await withTargetDb(kind, cli, (db) => listAuditEntries(db, { limit: 20 }));
    const actions = audited.filter((e) => e.entity === 'monitor').map((e) => [e.action, e.entity_id]);
    expect(actions).toEqual([
      ['monitor.delete', 'weekly'],
      ['monitor.create', 'weekly'],
    ]);
    expect(audited.find((e) => e.action === 'monitor.create')?.actor).toMatch(/^cli:/);
  });

  test('refused: a taken name, an unknown table, a bad cron naming --cron, bad draws, an unknown run to retrain', async () => {
    expect((await add('taken')).exitCode).toBe(0);
    // One at a time: each invocation captures this process's stdout and stderr.
    const cases: [() => Promise<{ exitCode: number; stderr: string }>, string][] = [
      [() => add('taken'), 'monitor "taken" already exists'],
      [
        () => run('monitor', 'add', 'nowhere', '--table', 'nf_loto_nowhere', '--cron', '0 6 * * *'),
        'nf_loto_nowhere',
      ],
      [
        () => run('monitor', 'add', 'badcron', '--table', 'nf_loto_cli_monitor', '--cron', 'every day'),
        '--cron "every day" is not a cron schedule',
      ],
      [() => add('short', '--current-draws', '1'), '--current-draws must be a whole number ≥ 2'],
      [() => add('other-game', '--loto', 'loto7'), 'holds no rows of loto loto7'],
      [
        () => add('retrain', '--retrain', '00000000-0000-4000-8000-000000000000'),
        'run 00000000-0000-4000-8000-000000000000 does not exist',
      ],
      [() => add('hook', '--webhook', 'ftp://example.org/x'), 'webhook must be an http or https URL'],
      [() => run('monitor', 'run', 'missing'), 'monitor "missing" does not exist'],
    ];
    for (const [result, message] of cases) {
      const { exitCode, stderr } = await result();
      expect(exitCode, message).not.toBe(0);
      expect(stderr, message).toContain(message);
    }
    const listed = await run('--json', 'monitor', 'ls');
    expect(JSON.parse(listed.stdout).map((m: { name: string }) => m.name)).toEqual(['taken']);
  });
});
