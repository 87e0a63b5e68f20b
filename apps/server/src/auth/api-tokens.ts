/** API tokens in nf_api_tokens: for scripts and CLIs on other machines (`Authorization: Bearer`). */
import { NotFoundError, type UserDto } from '@nflab/contracts';
import {
  findTokenUser,
  insertApiToken,
  markApiTokenRevoked,
  touchApiToken,
  type ApiTokenInfoRow,
  type Queryable,
} from '@nflab/store';
import { newSecret, secretHash } from './secrets.js';
import { publicUser } from './users.js';

export { listApiTokens } from '@nflab/store';

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
): Promise<{ token: string; row: ApiTokenInfoRow }> => {
  const token = newSecret('nfl_t_');
  const row = await insertApiToken(db, {
    userId,
    name,
    tokenHash: secretHash(token),
    ...(expiresInDays !== undefined ? { expiresInDays } : {}),
  });
  return { token, row };
};

/** Revokes a token of `userId` (any user's when undefined); NotFoundError when there is none. */
export const revokeApiToken = async (
  db: Queryable,
  id: string,
  userId: string | undefined,
): Promise<void> => {
  if (!(await markApiTokenRevoked(db, id, userId))) throw new NotFoundError(`API token ${id} does not exist`);
};

/** The enabled user behind a live token, recording its use; undefined for unknown/revoked/expired ones. */
export const tokenUser = async (db: Queryable, token: string): Promise<UserDto | undefined> => {
  const row = await findTokenUser(db, secretHash(token));
  if (row === undefined) return undefined;
  if (row.last_used_at === null || Date.now() - row.last_used_at.getTime() > TOUCH_AFTER_MS) {
    await touchApiToken(db, row.token_id);
  }
  return publicUser(row);
};
