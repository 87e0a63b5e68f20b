/** Accounts in nf_users: create, find, list, update, and the first admin of a fresh lab. */
import { randomBytes } from 'node:crypto';
import {
  ConflictError,
  NotFoundError,
  parseInput,
  passwordSchema,
  usernameSchema,
  type UserDetailDto,
  type UserDto,
  type UserRole,
} from '@nflab/contracts';
import type { Queryable, UserRow } from '@nflab/store';
import { hashPassword } from './password.js';

const DETAIL_COLUMNS = 'id, username, role, disabled, created_at, updated_at';

/** Options of {@link createUser}. */
export interface NewUser {
  readonly username: string;
  readonly password: string;
  readonly role: UserRole;
}

/** Creates an account; a taken username is a ConflictError, a bad name or short password an InputError. */
export const createUser = async (db: Queryable, user: NewUser): Promise<UserDetailDto> => {
  const username = parseInput(usernameSchema, user.username, 'username');
  parseInput(passwordSchema, user.password, 'password');
  const hash = await hashPassword(user.password);
  const { rows } = await db.query<UserDetailDto>(
    `INSERT INTO nf_users (username, password_hash, role) VALUES ($1, $2, $3)
     ON CONFLICT (username) DO NOTHING RETURNING ${DETAIL_COLUMNS}`,
    [username, hash, user.role],
  );
  const created = rows[0];
  if (created === undefined) throw new ConflictError(`user ${JSON.stringify(username)} already exists`);
  return created;
};

/** The account named `username` with its hash, or undefined. */
export const findUserByName = async (db: Queryable, username: string): Promise<UserRow | undefined> => {
  const { rows } = await db.query<UserRow>('SELECT * FROM nf_users WHERE username = $1', [username]);
  return rows[0];
};

/** Every account, by username. */
export const listUsers = async (db: Queryable): Promise<UserDetailDto[]> =>
  (await db.query<UserDetailDto>(`SELECT ${DETAIL_COLUMNS} FROM nf_users ORDER BY username`)).rows;

/** What {@link updateUser} may change. */
export interface UserChanges {
  readonly role?: UserRole;
  readonly password?: string;
  readonly disabled?: boolean;
}

/**
 * Changes an account. A new password or disabling ends the user's sessions and revokes their API
 * tokens, since either means "whoever holds the old access should lose it".
 */
export const updateUser = async (db: Queryable, id: string, changes: UserChanges): Promise<UserDetailDto> => {
  const hash = changes.password === undefined ? null : await hashPassword(changes.password);
  const { rows } = await db.query<UserDetailDto>(
    `UPDATE nf_users SET role = coalesce($2, role), password_hash = coalesce($3, password_hash),
            disabled = coalesce($4, disabled)
      WHERE id = $1 RETURNING ${DETAIL_COLUMNS}`,
    [id, changes.role ?? null, hash, changes.disabled ?? null],
  );
  const user = rows[0];
  if (user === undefined) throw new NotFoundError(`user ${id} does not exist`);
  if (hash !== null || changes.disabled === true) {
    await db.query('DELETE FROM nf_sessions WHERE user_id = $1', [id]);
    await db.query('UPDATE nf_api_tokens SET revoked = true WHERE user_id = $1 AND NOT revoked', [id]);
  }
  return user;
};

/** The user as sessions and tokens expose it. */
export const publicUser = (row: Pick<UserRow, 'id' | 'username' | 'role'>): UserDto => ({
  id: row.id,
  username: row.username,
  role: row.role as UserRole,
});

/** What {@link ensureInitialAdmin} did. */
export type InitialAdmin =
  | { readonly created: false }
  | {
      readonly created: true;
      readonly username: 'admin';
      readonly password: string;
      readonly generated: boolean;
    };

/**
 * Gives a fresh lab its first account: when nf_users is empty, creates `admin` (role admin) with
 * `NFLAB_ADMIN_PASSWORD` or, when unset, a random password the caller must print once. Does
 * nothing when any user exists, so it is safe on every start.
 */
export const ensureInitialAdmin = async (
  db: Queryable,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<InitialAdmin> => {
  const { rows } = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM nf_users) AS any');
  if (rows[0]?.any === true) return { created: false };
  const given = env.NFLAB_ADMIN_PASSWORD;
  const password = given !== undefined && given !== '' ? given : randomBytes(12).toString('base64url');
  try {
    await createUser(db, { username: 'admin', password, role: 'admin' });
  } catch (error) {
    // Another process started at the same moment and created it first.
    if (error instanceof ConflictError) return { created: false };
    throw error;
  }
  return { created: true, username: 'admin', password, generated: given === undefined || given === '' };
};
