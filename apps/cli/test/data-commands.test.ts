import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { testDbKinds } from '@nflab/store/testing';
import { runCli, useCliTarget } from './run-cli.js';

const LOTO6 = new URL('../../../data/samples/loto6_2000-2020.cp932.csv', import.meta.url).pathname;

describe.each(await testDbKinds())('nflab db/data on %s', (kind) => {
  const cli = useCliTarget(kind, 'nflab-cli-');
  const target = cli.args;

  test('migrate applies the schema once, status lists it', async () => {
    const first = await runCli([...target, '--json', 'db', 'migrate'], cli.dbs);
    expect(first.exitCode).toBe(0);
    expect(JSON.parse(first.stdout).applied.length).toBeGreaterThan(0);
    const again = await runCli([...target, '--json', 'db', 'migrate'], cli.dbs);
    expect(JSON.parse(again.stdout).applied).toEqual([]);
    const status = JSON.parse((await runCli([...target, '--json', 'db', 'status'], cli.dbs)).stdout);
    expect(status.kind).toBe(kind);
    expect(status.pending).toEqual([]);
  });

  test('imports the real LOTO6 history once; a second import adds nothing', async () => {
    const first = await runCli([...target, '--json', 'data', 'import', LOTO6, '--game', 'loto6'], cli.dbs);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ table: 'nf_loto_final', draws: 1498, rowsAdded: 10486 });
    const again = JSON.parse(
      (await runCli([...target, '--json', 'data', 'import', LOTO6, '--game', 'loto6'], cli.dbs)).stdout,
    );
    expect(again).toMatchObject({ rowsAdded: 0, rowsSkipped: 10486, rejected: [] });
  });

  test('a malformed file is rejected whole with its line number and exit status 2', async () => {
    const bad = join(cli.home, 'bad.csv');
    await writeFile(
      bad,
      '開催回,日付,第1数字,第2数字,第3数字,第4数字,第5数字,第6数字,BONUS数字,1等口数,2等口数,3等口数,4等口数,5等口数,1等賞金,2等賞金,3等賞金,4等賞金,5等賞金,キャリーオーバー\n' +
        '1,2000/10/5,2,8,10,13,27,30,39,2,2,262,12413,174452,45513600,40961900,375200,6900,1000,0\n' +
        '2,2000/10/12,1,9,16,20,21,99,5,0,7,195,8426,144860,0,13188800,568100,11500,1000,102580607\n',
    );
    const result = await runCli(
      [...target, '--json', 'data', 'import', bad, '--game', 'loto6', '--table', 'nf_loto_bad'],
      cli.dbs,
    );
    expect(result.exitCode).toBe(2);
    const body = JSON.parse(result.stdout);
    expect(body.error.code).toBe('config');
    expect(body.error.message).toContain('line 3');
  });

  test('synth stores draws that the game rules accept; an unknown game names the known ones', async () => {
    const synth = await runCli(
      [...target, '--json', 'data', 'synth', '--game', 'miniloto', '--draws', '20', '--seed', '7'],
      cli.dbs,
    );
    expect(synth.exitCode, synth.stdout + synth.stderr).toBe(0);
    expect(JSON.parse(synth.stdout)).toMatchObject({ table: 'nf_loto_synth', draws: 20, rowsAdded: 20 * 6 });
    const unknown = await runCli(
      [...target, '--json', 'data', 'synth', '--game', 'powerball', '--draws', '1'],
      cli.dbs,
    );
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stdout + unknown.stderr).toContain('loto6');
  });

  test('features builds the view and lists its columns by role', async () => {
    const result = await runCli(
      [...target, '--json', 'data', 'features', '--table', 'nf_loto_final'],
      cli.dbs,
    );
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(body.view).toBe('nf_loto_final_features');
    expect(body.columns.futr).toContain('futr_is_holiday');
    const injected = await runCli(
      [...target, '--json', 'data', 'features', '--table', 'nf_loto; DROP TABLE x'],
      cli.dbs,
    );
    expect(injected.exitCode).toBe(2);
  });

  test('ls lists tables, games and ids; preview shows ordered rows; unknown names are clear errors', async () => {
    const ls = JSON.parse((await runCli([...target, '--json', 'data', 'ls'], cli.dbs)).stdout);
    const final = ls.tables.find((t: { name: string }) => t.name === 'nf_loto_final');
    expect(final.games).toHaveLength(1);
    expect(final.games[0].loto).toBe('loto6');
    expect(final.games[0].series.map((s: { uniqueId: string }) => s.uniqueId)).toEqual([
      'B1',
      'N1',
      'N2',
      'N3',
      'N4',
      'N5',
      'N6',
    ]);
    expect(final.games[0].series[0]).toMatchObject({ rows: 1498, start: '2000-10-05', end: '2020-07-09' });
    const preview = JSON.parse(
      (
        await runCli(
          [
            ...target,
            '--json',
            'data',
            'preview',
            '--table',
            'nf_loto_final',
            '--loto',
            'loto6',
            '--limit',
            '3',
          ],
          cli.dbs,
        )
      ).stdout,
    );
    expect(preview.rows).toHaveLength(3);
    expect(preview.rows[0]).toMatchObject({ loto: 'loto6', unique_id: 'B1', ds: '2000-10-05', y: 39 });
    const missing = await runCli([...target, '--json', 'data', 'ls', '--table', 'nf_loto_nope'], cli.dbs);
    expect(missing.exitCode).toBe(1);
    expect(JSON.parse(missing.stdout).error.code).toBe('not_found');
  });

  test('preview and ls read only data tables: lab tables and system catalogs are refused, no rows printed', async () => {
    for (const table of [
      'nf_users',
      'nf_sessions',
      'nf_api_tokens',
      'nf_model_runs',
      'pg_authid',
      'pg_settings',
    ]) {
      const result = await runCli([...target, '--json', 'data', 'preview', '--table', table], cli.dbs);
      expect(result.exitCode, table).toBe(1);
      const body = JSON.parse(result.stdout);
      expect(body.error.code, table).toBe('not_found');
      expect(body.rows, table).toBeUndefined();
    }
    for (const table of ['public.nf_users', '"nf_users"', 'information_schema.tables', 'NF_USERS']) {
      const result = await runCli([...target, '--json', 'data', 'preview', '--table', table], cli.dbs);
      expect(result.exitCode, table).toBe(2);
      expect(JSON.parse(result.stdout).error.code, table).toBe('config');
    }
    const ls = await runCli([...target, '--json', 'data', 'ls', '--table', 'nf_users'], cli.dbs);
    expect(ls.exitCode).toBe(1);
    const wide = JSON.parse(
      (await runCli([...target, '--json', 'data', 'ls', '--pattern', '%'], cli.dbs)).stdout,
    );
    expect(
      wide.tables.map((t: { name: string }) => t.name).every((name: string) => name.startsWith('nf_loto')),
    ).toBe(true);
    const bad = await runCli([...target, '--json', 'data', 'ls', '--pattern', 'nf\\'], cli.dbs);
    expect(bad.exitCode).toBe(2);
    expect(JSON.parse(bad.stdout).error.message).toContain('--pattern');
  });
});
