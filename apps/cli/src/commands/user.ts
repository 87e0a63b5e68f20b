import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import {
  ConfigError,
  NotFoundError,
  USER_ROLES,
  userRoleSchema,
  parseInput,
  type UserRole,
} from '@nflab/contracts';
import { createApiToken, createUser, findUserByName, listUsers } from '@nflab/server';
import { auditCli } from '../audit.js';
import { contextFrom } from '../context.js';
import { formatTable } from '../output.js';

/** Reads all of a piped stdin; the trailing newline `echo` adds is not part of the password. */
const readAll = async (stream: Readable): Promise<string> => {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text.replace(/\r?\n$/, '');
};

/** Reads one line from the terminal without echoing it. */
const askHidden = (question: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const input = process.stdin;
    process.stdout.write(question);
    input.setRawMode(true);
    input.setEncoding('utf8');
    input.resume();
    let answer = '';
    const done = (error?: Error): void => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stdout.write('\n');
      if (error) reject(error);
      else resolve(answer);
    };
    const onData = (chunk: string): void => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003') return done(new ConfigError('cancelled'));
        if (char === '\u007f' || char === '\b') answer = answer.slice(0, -1);
        else answer += char;
      }
    };
    input.on('data', onData);
  });

/** The new user's password: from stdin with `--password-stdin`, else asked twice on the terminal. */
const newPassword = async (fromStdin: boolean): Promise<string> => {
  if (fromStdin) return readAll(process.stdin);
  if (!process.stdin.isTTY) {
    throw new ConfigError('no terminal to ask for the password: pipe it in with --password-stdin');
  }
  const first = await askHidden('password: ');
  const second = await askHidden('repeat password: ');
  if (first !== second) throw new ConfigError('the two passwords differ; run the command again');
  return first;
};

/** `nflab user add | list | token`: the server's local accounts. */
export const userCommand = (program: Command): void => {
  const user = program.command('user').description('accounts of the lab server (sign-in and API tokens)');

  user
    .command('add <username>')
    .description('create an account; asks for the password (or reads it with --password-stdin)')
    .option('--role <role>', `one of ${USER_ROLES.join(', ')}`, 'viewer')
    .option('--password-stdin', 'read the password from stdin (for scripts)', false)
    .action(async (username: string, options: { role: string; passwordStdin: boolean }, command: Command) => {
      const ctx = contextFrom(command);
      const { out, withDb } = ctx;
      const role: UserRole = parseInput(userRoleSchema, options.role, '--role');
      const password = await newPassword(options.passwordStdin);
      const created = await withDb(async (db) => {
        const user = await createUser(db, { username, password, role });
        await auditCli(ctx, db, {
          action: 'user.create',
          entity: 'user',
          entityId: user.id,
          details: { username: user.username, role: user.role },
        });
        return user;
      });
      out.result(created, () => `created ${created.role} ${created.username}`);
    });

  user
    .command('list')
    .description('list accounts')
    .action(async (_options, command: Command) => {
      const { out, withDb } = contextFrom(command);
      const users = await withDb((db) => listUsers(db));
      out.result(users, () =>
        formatTable(
          users.map((u) => ({ ...u })),
          ['username', 'role', 'disabled', 'created_at'],
        ),
      );
    });

  user
    .command('token <username>')
    .description('create an API token for a user and print it (shown this once)')
    .requiredOption('--name <name>', 'what the token is for, e.g. "ci" or "laptop"')
    .option('--expires-days <days>', 'days until it expires (default: never)', (value) => Number(value))
    .action(async (username: string, options: { name: string; expiresDays?: number }, command: Command) => {
      const ctx = contextFrom(command);
      const { out, withDb } = ctx;
      const { token, row } = await withDb(async (db) => {
        const found = await findUserByName(db, username);
        if (found === undefined) throw new NotFoundError(`user ${JSON.stringify(username)} does not exist`);
        if (
          options.expiresDays !== undefined &&
          !(Number.isInteger(options.expiresDays) && options.expiresDays >= 1)
        ) {
          throw new ConfigError(
            `--expires-days must be a whole number of days ≥ 1 (got ${options.expiresDays})`,
          );
        }
        const created = await createApiToken(db, {
          userId: found.id,
          name: options.name,
          expiresInDays: options.expiresDays,
        });
        await auditCli(ctx, db, {
          action: 'token.create',
          entity: 'token',
          entityId: created.row.id,
          details: { name: created.row.name, user_id: found.id, username },
        });
        return created;
      });
      out.result({ id: row.id, name: row.name, token }, () =>
        [`token "${row.name}" for ${username} (shown once; keep it secret):`, token].join('\n'),
      );
    });
};
