import { Readable } from 'node:stream';
import { describe, expect, test, vi } from 'vitest';
import { testDbKinds } from '@nflab/store/testing';
import { runCli, useCliTarget, type HeldDbs } from './run-cli.js';

/** Runs the CLI with `input` piped to its stdin. */
const withStdin = async (input: string, args: readonly string[], dbs: HeldDbs) => {
  const stdin = vi
    .spyOn(process, 'stdin', 'get')
    .mockReturnValue(Readable.from([input]) as typeof process.stdin);
  try {
    return await runCli(args, dbs);
  } finally {
    stdin.mockRestore();
  }
};

describe.each(await testDbKinds())('nflab user on %s', (kind) => {
  const cli = useCliTarget(kind, 'nflab-cli-user-');
  const target = cli.args;

  test('user add reads the password from stdin, stores it hashed, refuses a duplicate', async () => {
    const added = await withStdin(
      's3cret-pass\n',
      [...target, '--json', 'user', 'add', 'carol', '--role', 'editor', '--password-stdin'],
      cli.dbs,
    );
    expect(added.exitCode, added.stderr + added.stdout).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ username: 'carol', role: 'editor', disabled: false });
    const again = await withStdin(
      's3cret-pass\n',
      [...target, '--json', 'user', 'add', 'carol', '--password-stdin'],
      cli.dbs,
    );
    expect(again.exitCode).toBe(1);
    expect(JSON.parse(again.stdout)).toEqual({
      error: { code: 'conflict', message: 'user "carol" already exists' },
    });
    const list = JSON.parse((await runCli([...target, '--json', 'user', 'list'], cli.dbs)).stdout);
    expect(list.map((u: { username: string }) => u.username)).toEqual(['carol']);
  });

  test('bad role, short password and a missing terminal are input errors (exit 2)', async () => {
    const role = await withStdin(
      's3cret-pass',
      [...target, 'user', 'add', 'dave', '--role', 'root', '--password-stdin'],
      cli.dbs,
    );
    expect(role.exitCode).toBe(2);
    expect(role.stderr).toContain('--role');
    const short = await withStdin('short', [...target, 'user', 'add', 'dave', '--password-stdin'], cli.dbs);
    expect(short.exitCode).toBe(2);
    expect(short.stderr).toContain('password: use at least 8 characters');
    const noTty = await withStdin('', [...target, 'user', 'add', 'dave'], cli.dbs);
    expect(noTty.exitCode).toBe(2);
    expect(noTty.stderr).toContain('--password-stdin');
  });

  test('user token prints a token once; unknown users are not found', async () => {
    const token = await runCli([...target, '--json', 'user', 'token', 'carol', '--name', 'ci'], cli.dbs);
    expect(token.exitCode, token.stdout).toBe(0);
    expect(JSON.parse(token.stdout)).toMatchObject({ name: 'ci', token: expect.stringMatching(/^nfl_t_/) });
    const unknown = await runCli([...target, 'user', 'token', 'nobody', '--name', 'ci'], cli.dbs);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain('user "nobody" does not exist');
  });
});
