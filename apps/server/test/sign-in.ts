/** Test helper: a user of a given role and the Cookie header of a session of theirs. */
import type { UserRole } from '@nflab/contracts';
import type { Queryable } from '@nflab/store';
import { SESSION_COOKIE } from '../src/auth/plugin.js';
import { createSession } from '../src/auth/sessions.js';
import { createUser } from '../src/auth/users.js';

let counter = 0;

/**
 * The Origin header a browser page of the server sends (inject's default Host is localhost:80):
 * cookie-authenticated POST/PATCH/DELETE need it to pass the CSRF check.
 */
export const SAME_ORIGIN = 'http://localhost';

/** A signed-in user: their id and the `cookie` header value to send. */
export interface SignedIn {
  readonly userId: string;
  readonly username: string;
  readonly cookie: string;
}

/** Creates a user with `role` (password `password-123`) and opens a session for them. */
export const signIn = async (db: Queryable, role: UserRole): Promise<SignedIn> => {
  counter += 1;
  const username = `${role}-${process.pid}-${counter}`;
  const user = await createUser(db, { username, password: 'password-123', role });
  const token = await createSession(db, user.id, {});
  return { userId: user.id, username, cookie: `${SESSION_COOKIE}=${token}` };
};
