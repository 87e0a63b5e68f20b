/** API tokens in nf_api_tokens: for scripts and CLIs on other machines (`Authorization: Bearer`). */
import { NotFoundError, type ApiTokenDto, type UserDto } from '@nflab/contracts';
import type { Queryable } from '@nflab/store';
import { newSecret, secretHash } from './secrets.js';
import { publicUser } from './users.js';

const COLUMNS = 'id, name, user_id, created_at, last_used_at, expires_at, revoked';
// Like sessions: recording every use would write on every read.
const TOUCH_AFTER_MS = 60 * 1000;

/** Options of {@link createApiToken}. */
export interface NewApiToken {
  readonly userId: string;
  readonly name: string;
  /** Days until it expires. @default never */
  readonly expiresInDays?: number;
}

/** Creates a token; returns its row and the secret, which is never shown again. */
export const createApiToken = async (
  db: Queryable,
  { userId, name, expiresInDays }: NewApiToken,
): Promise<{ token: string; row: ApiTokenDto }> => {
  const token = newSecret('nfl_t_');
  const { rows } = await db.query<ApiTokenDto>(
    `INSERT INTO nf_api_tokens (user_id, name, token_hash, expires_at)
     VALUES ($1, $2, $3, CASE WHEN $4::int IS NULL THEN NULL ELSE now() + make_interval(days => $4::int) END)
     RETURNING ${COLUMNS}`,
    [userId, name, secretHash(token), expiresInDays ?? null],
  );
  return { token, row: rows[0] as ApiTokenDto };
};

/** Tokens of one user, or of everyone when `userId` is undefined (admins), newest first. */
export const listApiTokens = async (db: Queryable, userId: string | undefined): Promise<ApiTokenDto[]> =>
  (
    await db.query<ApiTokenDto>(
      `SELECT ${COLUMNS} FROM nf_api_tokens WHERE $1::uuid IS NULL OR user_id = $1::uuid ORDER BY created_at DESC`,
      [userId ?? null],
    )
  ).rows;

/** Revokes a token of `userId` (any user's when undefined); NotFoundError when there is none. */
export const revokeApiToken = async (
  db: Queryable,
  id: string,
  userId: string | undefined,
): Promise<void> => {
  const { rowCount } = await db.query(
    'UPDATE nf_api_tokens SET revoked = true WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2::uuid)',
    [id, userId ?? null],
  );
  if (rowCount === 0) throw new NotFoundError(`API token ${id} does not exist`);
};

/** The enabled user behind a live token, recording its use; undefined for unknown/revoked/expired ones. */
export const tokenUser = async (db: Queryable, token: string): Promise<UserDto | undefined> => {
  const { rows } = await db.query<{
    token_id: string;
    id: string;
    username: string;
    role: string;
    last_used_at: Date | null;
  }>(
    `SELECT t.id AS token_id, u.id, u.username, u.role, t.last_used_at
       FROM nf_api_tokens t JOIN nf_users u ON u.id = t.user_id
      WHERE t.token_hash = $1 AND NOT t.revoked AND (t.expires_at IS NULL OR t.expires_at > now())
        AND NOT u.disabled`,
    [secretHash(token)],
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  if (row.last_used_at === null || Date.now() - row.last_used_at.getTime() > TOUCH_AFTER_MS) {
    await db.query('UPDATE nf_api_tokens SET last_used_at = now() WHERE id = $1', [row.token_id]);
  }
  return publicUser(row);
};
