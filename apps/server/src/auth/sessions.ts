/** Browser sessions in nf_sessions, keyed by the SHA-256 of the cookie's token. */
import type { Queryable } from '@nflab/store';
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
  await db.query(
    `INSERT INTO nf_sessions (id, user_id, expires_at, ip, user_agent)
     VALUES ($1, $2, now() + make_interval(secs => $3), $4, $5)`,
    [
      secretHash(token),
      userId,
      SESSION_TTL_MS / 1000,
      origin.ip ?? null,
      origin.userAgent?.slice(0, 500) ?? null,
    ],
  );
  return token;
};

/** The enabled user of a live session, sliding its expiry; undefined for unknown or expired tokens. */
export const sessionUser = async (db: Queryable, token: string): Promise<UserDto | undefined> => {
  const { rows } = await db.query<{ id: string; username: string; role: string; last_seen_at: Date }>(
    `SELECT u.id, u.username, u.role, s.last_seen_at FROM nf_sessions s JOIN nf_users u ON u.id = s.user_id
      WHERE s.id = $1 AND s.expires_at > now() AND NOT u.disabled`,
    [secretHash(token)],
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  if (Date.now() - row.last_seen_at.getTime() > TOUCH_AFTER_MS) {
    await db.query(
      `UPDATE nf_sessions SET last_seen_at = now(), expires_at = now() + make_interval(secs => $2) WHERE id = $1`,
      [secretHash(token), SESSION_TTL_MS / 1000],
    );
  }
  return publicUser(row);
};

/** Ends a session (logout). */
export const deleteSession = async (db: Queryable, token: string): Promise<void> => {
  await db.query('DELETE FROM nf_sessions WHERE id = $1', [secretHash(token)]);
};

/** Deletes expired sessions; returns how many. */
export const deleteExpiredSessions = async (db: Queryable): Promise<number> =>
  (await db.query('DELETE FROM nf_sessions WHERE expires_at <= now()')).rowCount;
