import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { importFile, openDataReader } from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { runCli } from './run-cli.js';

const MINILOTO = fileURLToPath(
  new URL('../../../packages/store/test/fixtures/miniloto.csv', import.meta.url),
);

test('no data connection unless NFLAB_DATA_DATABASE_URL (or a url) is set', async () => {
  expect(await openDataReader({ env: {} })).toBeUndefined();
  expect(await openDataReader({ env: { NFLAB_DATA_DATABASE_URL: '' } })).toBeUndefined();
});

// A second role exists only on a server.
describe.runIf((await testDbKinds()).includes('postgres'))(
  'nflab data reads through NFLAB_DATA_DATABASE_URL',
  () => {
    let db: TestDb;
    const role = `nflab_cli_reader_${process.pid}`;
    const saved = process.env.NFLAB_DATA_DATABASE_URL;

    beforeAll(async () => {
      db = await openTestDb('postgres', { migrate: true });
      await importFile(db, { file: MINILOTO, game: 'miniloto' });
      await db.exec(`DROP ROLE IF EXISTS ${role}; CREATE ROLE ${role} LOGIN;
                   GRANT SELECT ON nf_loto_final TO ${role};
                   CREATE TABLE nf_loto_ungranted AS SELECT * FROM nf_loto_final;`);
      const url = new URL(db.url as string);
      url.username = role;
      process.env.NFLAB_DATA_DATABASE_URL = url.toString();
    });
    afterAll(async () => {
      if (saved === undefined) delete process.env.NFLAB_DATA_DATABASE_URL;
      else process.env.NFLAB_DATA_DATABASE_URL = saved;
      await db.exec(`REVOKE ALL ON nf_loto_final FROM ${role}; DROP ROLE ${role}`);
      await db.close();
    });

    test('preview and ls read granted tables through the role; an ungranted one fails though the lab URL could read it', async () => {
      const target = ['--database-url', db.url as string, '--json'];
      const preview = await runCli([
        ...target,
        'data',
        'preview',
        '--table',
        'nf_loto_final',
        '--limit',
        '2',
      ]);
      expect(preview.exitCode, preview.stdout).toBe(0);
      expect(JSON.parse(preview.stdout).rows).toHaveLength(2);
      const denied = await runCli([...target, 'data', 'preview', '--table', 'nf_loto_ungranted']);
      expect(denied.exitCode).not.toBe(0);
      expect(JSON.parse(denied.stdout).error.message).toContain('permission denied');
      const ls = JSON.parse((await runCli([...target, 'data', 'ls', '--table', 'nf_loto_final'])).stdout);
      expect(ls.tables[0].games[0].loto).toBe('miniloto');
    });
  },
);
