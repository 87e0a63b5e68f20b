/** API tokens in nf_api_tokens, stored as their SHA-256 (hashed by the caller). */
import type { Queryable } from '../db.js';
import type { ApiTokenRow, UserRow } from '../schema/tables.js';

const COLUMNS = 'id, name, user_id, created_at, last_used_at, expires_at, revoked';

/** A token as its owner and admins see it: every column but the hash. */
export type ApiTokenInfoRow = Omit<ApiTokenRow, 'token_hash'>;

/** A new token row. */
export interface NewApiTokenRow {
  readonly userId: string;
  readonly name: string;
  /** The SHA-256 of the secret. */
  readonly tokenHash: string;
  /** Days until it expires; undefined for never. */
  readonly expiresInDays?: number;
}

/** Inserts a token. */
export const insertApiToken = async (db: Queryable, token: NewApiTokenRow): Promise<ApiTokenInfoRow> => {
  const { rows } = await db.query<ApiTokenInfoRow>(
    `INSERT INTO nf_api_tokens (user_id, name, token_hash, expires_at)
     VALUES ($1, $2, $3, CASE WHEN $4::int IS NULL THEN NULL ELSE now() + make_interval(days => $4::int) END)
     RETURNING ${COLUMNS}`,
    [token.userId, token.name, token.tokenHash, token.expiresInDays ?? null],
  );
  return rows[0] as ApiTokenInfoRow;
};

/** Tokens of one user, or of everyone when `userId` is undefined (admins), newest first. */
export const listApiTokens = async (db: Queryable, userId: string | undefined): Promise<ApiTokenInfoRow[]> =>
  (
    await db.query<ApiTokenInfoRow>(
      `SELECT ${COLUMNS} FROM nf_api_tokens WHERE $1::uuid IS NULL OR user_id = $1::uuid ORDER BY created_at DESC`,
      [userId ?? null],
    )
  ).rows;

/** Revokes token `id` of `userId` (any user's when undefined); false when there is none. */
export const markApiTokenRevoked = async (
  db: Queryable,
  id: string,
  userId: string | undefined,
): Promise<boolean> => {
  const { rowCount } = await db.query(
    'UPDATE nf_api_tokens SET revoked = true WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2::uuid)',
    [id, userId ?? null],
  );
  return rowCount > 0;
};

/** Revokes every live token of a user. */
export const revokeUserApiTokens = async (db: Queryable, userId: string): Promise<void> => {
  await db.query('UPDATE nf_api_tokens SET revoked = true WHERE user_id = $1 AND NOT revoked', [userId]);
};

/** The enabled user behind a live token, with the token's id and last use. */
export type TokenUserRow = Pick<UserRow, 'id' | 'username' | 'role'> & {
  readonly token_id: ApiTokenRow['id'];
  readonly last_used_at: ApiTokenRow['last_used_at'];
};

/** The enabled user of the unrevoked, unexpired token with this hash, or undefined. */
export const findTokenUser = async (db: Queryable, tokenHash: string): Promise<TokenUserRow | undefined> => {
  const { rows } = await db.query<TokenUserRow>(
    `SELECT t.id AS token_id, u.id, u.username, u.role, t.last_used_at
       FROM nf_api_tokens t JOIN nf_users u ON u.id = t.user_id
      WHERE t.token_hash = $1 AND NOT t.revoked AND (t.expires_at IS NULL OR t.expires_at > now())
        AND NOT u.disabled`,
    [tokenHash],
  );
  return rows[0];
};

/** Records a use of token `id` now. */
export const touchApiToken = async (db: Queryable, id: string): Promise<void> => {
  await db.query('UPDATE nf_api_tokens SET last_used_at = now() WHERE id = $1', [id]);
};
