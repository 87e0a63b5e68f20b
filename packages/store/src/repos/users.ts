/** Accounts in nf_users. Password hashing and input checks stay with the caller (the server). */
import type { Queryable } from '../db.js';
import type { UserRow } from '../schema/tables.js';

const DETAIL_COLUMNS = 'id, username, role, disabled, created_at, updated_at';

/** An account as an admin sees it: every column but the password hash. */
export type UserDetailRow = Omit<UserRow, 'password_hash'>;

/** A new account with its already-hashed password. */
export interface NewUserRow {
  readonly username: string;
  readonly passwordHash: string;
  readonly role: UserRow['role'];
}

/** Inserts an account; undefined when the username is taken. */
export const insertUser = async (db: Queryable, user: NewUserRow): Promise<UserDetailRow | undefined> => {
  const { rows } = await db.query<UserDetailRow>(
    `INSERT INTO nf_users (username, password_hash, role) VALUES ($1, $2, $3)
     ON CONFLICT (username) DO NOTHING RETURNING ${DETAIL_COLUMNS}`,
    [user.username, user.passwordHash, user.role],
  );
  return rows[0];
};

/** The account named `username` with its hash, or undefined. */
export const findUserByName = async (db: Queryable, username: string): Promise<UserRow | undefined> => {
  const { rows } = await db.query<UserRow>('SELECT * FROM nf_users WHERE username = $1', [username]);
  return rows[0];
};

/** Every account, by username. */
export const listUsers = async (db: Queryable): Promise<UserDetailRow[]> =>
  (await db.query<UserDetailRow>(`SELECT ${DETAIL_COLUMNS} FROM nf_users ORDER BY username`)).rows;

/** Columns {@link updateUserRow} changes; an absent one keeps its value. */
export interface UserRowChanges {
  readonly role?: UserRow['role'];
  /** The new password, already hashed. */
  readonly passwordHash?: string;
  readonly disabled?: boolean;
}

/** Changes an account; undefined when there is no account `id`. */
export const updateUserRow = async (
  db: Queryable,
  id: string,
  changes: UserRowChanges,
): Promise<UserDetailRow | undefined> => {
  const { rows } = await db.query<UserDetailRow>(
    `UPDATE nf_users SET role = coalesce($2, role), password_hash = coalesce($3, password_hash),
            disabled = coalesce($4, disabled)
      WHERE id = $1 RETURNING ${DETAIL_COLUMNS}`,
    [id, changes.role ?? null, changes.passwordHash ?? null, changes.disabled ?? null],
  );
  return rows[0];
};

/** True when any account exists. */
export const anyUserExists = async (db: Queryable): Promise<boolean> => {
  const { rows } = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM nf_users) AS any');
  return rows[0]?.any === true;
};
