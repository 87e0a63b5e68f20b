/** Browser sessions in nf_sessions, keyed by the SHA-256 of the cookie's token. */
import {
  deleteSessionById,
  findSessionUser,
  insertSession,
  touchSession,
  type Queryable,
} from '@nflab/store';
import type { UserDto } from '@nflab/contracts';
import { newSecret, secretHash } from './secrets.js';
import { publicUser } from './users.js';

/** How long a session lasts after its last use. */
export const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;
// Refreshing last_seen/expiry on every request would write on every read; once a minute is enough.
const TOUCH_AFTER_MS = 60 * 1000;

/** Where a session was opened from, for the user's session list. */
export interface SessionOrigin {
  readonly ip?: string;
  readonly userAgent?: string;
}

/** Opens a session for `userId`; returns the cookie token (only its hash is stored). */
export const createSession = async (
  db: Queryable,
  userId: string,
  origin: SessionOrigin,
): Promise<string> => {
  const token = newSecret('nfl_s_');
  await insertSession(db, {
    id: secretHash(token),
    userId,
    ttlSeconds: SESSION_TTL_MS / 1000,
    ip: origin.ip ?? null,
    userAgent: origin.userAgent?.slice(0, 500) ?? null,
  });
  return token;
};

/** The enabled user of a live session, sliding its expiry; undefined for unknown or expired tokens. */
export const sessionUser = async (db: Queryable, token: string): Promise<UserDto | undefined> => {
  const row = await findSessionUser(db, secretHash(token));
  if (row === undefined) return undefined;
  if (Date.now() - row.last_seen_at.getTime() > TOUCH_AFTER_MS) {
    await touchSession(db, secretHash(token), SESSION_TTL_MS / 1000);
  }
  return publicUser(row);
};

/** Ends a session (logout). */
export const deleteSession = async (db: Queryable, token: string): Promise<void> => {
  await deleteSessionById(db, secretHash(token));
};
