/** Browser sessions in nf_sessions, keyed by the SHA-256 of the cookie's token (hashed by the caller). */
import type { Queryable } from '../db.js';
import type { SessionRow, UserRow } from '../schema/tables.js';

/** A new session row. */
export interface NewSessionRow {
  /** The SHA-256 of the cookie's token. */
  readonly id: string;
  readonly userId: string;
  /** Seconds until it expires. */
  readonly ttlSeconds: number;
  readonly ip: string | null;
  readonly userAgent: string | null;
}

/** Inserts a session expiring `ttlSeconds` from now. */
export const insertSession = async (db: Queryable, session: NewSessionRow): Promise<void> => {
  await db.query(
    `INSERT INTO nf_sessions (id, user_id, expires_at, ip, user_agent)
     VALUES ($1, $2, now() + make_interval(secs => $3), $4, $5)`,
    [session.id, session.userId, session.ttlSeconds, session.ip, session.userAgent],
  );
};

/** The enabled user of a live session and when the session was last seen. */
export type SessionUserRow = Pick<UserRow, 'id' | 'username' | 'role'> & Pick<SessionRow, 'last_seen_at'>;

/** The enabled user of the unexpired session `id`, or undefined. */
export const findSessionUser = async (db: Queryable, id: string): Promise<SessionUserRow | undefined> => {
  const { rows } = await db.query<SessionUserRow>(
    `SELECT u.id, u.username, u.role, s.last_seen_at FROM nf_sessions s JOIN nf_users u ON u.id = s.user_id
      WHERE s.id = $1 AND s.expires_at > now() AND NOT u.disabled`,
    [id],
  );
  return rows[0];
};

/** Marks session `id` seen now and slides its expiry to `ttlSeconds` from now. */
export const touchSession = async (db: Queryable, id: string, ttlSeconds: number): Promise<void> => {
  await db.query(
    `UPDATE nf_sessions SET last_seen_at = now(), expires_at = now() + make_interval(secs => $2) WHERE id = $1`,
    [id, ttlSeconds],
  );
};

/** Deletes session `id` (logout). */
export const deleteSessionById = async (db: Queryable, id: string): Promise<void> => {
  await db.query('DELETE FROM nf_sessions WHERE id = $1', [id]);
};

/** Deletes every session of a user. */
export const deleteUserSessions = async (db: Queryable, userId: string): Promise<void> => {
  await db.query('DELETE FROM nf_sessions WHERE user_id = $1', [userId]);
};

/** Deletes expired sessions; returns how many. */
export const deleteExpiredSessions = async (db: Queryable): Promise<number> =>
  (await db.query('DELETE FROM nf_sessions WHERE expires_at <= now()')).rowCount;
