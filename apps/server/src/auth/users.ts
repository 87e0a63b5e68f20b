/** Accounts in nf_users: create, find, list, update, and the first admin of a fresh lab. */
import { randomBytes } from 'node:crypto';
import {
  ConflictError,
  NotFoundError,
  parseInput,
  passwordSchema,
  usernameSchema,
  type UserDto,
  type UserRole,
} from '@nflab/contracts';
import {
  anyUserExists,
  deleteUserSessions,
  insertUser,
  revokeUserApiTokens,
  updateUserRow,
  type Queryable,
  type UserDetailRow,
  type UserRow,
} from '@nflab/store';
import { hashPassword } from './password.js';

export { findUserByName, listUsers } from '@nflab/store';

/** Options of {@link createUser}. */
export interface NewUser {
  readonly username: string;
  readonly password: string;
  readonly role: UserRole;
}

/** Creates an account; a taken username is a ConflictError, a bad name or short password an InputError. */
export const createUser = async (db: Queryable, user: NewUser): Promise<UserDetailRow> => {
  const username = parseInput(usernameSchema, user.username, 'username');
  parseInput(passwordSchema, user.password, 'password');
  const hash = await hashPassword(user.password);
  const created = await insertUser(db, { username, passwordHash: hash, role: user.role });
  if (created === undefined) throw new ConflictError(`user ${JSON.stringify(username)} already exists`);
  return created;
};

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
export const updateUser = async (db: Queryable, id: string, changes: UserChanges): Promise<UserDetailRow> => {
  const hash = changes.password === undefined ? null : await hashPassword(changes.password);
  const user = await updateUserRow(db, id, {
    ...(changes.role !== undefined ? { role: changes.role } : {}),
    ...(hash !== null ? { passwordHash: hash } : {}),
    ...(changes.disabled !== undefined ? { disabled: changes.disabled } : {}),
  });
  if (user === undefined) throw new NotFoundError(`user ${id} does not exist`);
  if (hash !== null || changes.disabled === true) {
    await deleteUserSessions(db, id);
    await revokeUserApiTokens(db, id);
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
  if (await anyUserExists(db)) return { created: false };
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
