/** Test helper: a user of a given role and the Cookie header of a session of theirs. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
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

/** A request of a route test: GET unless told otherwise. */
export interface RequestAs {
  readonly method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly payload?: unknown;
}

/**
 * Sends `request` as `who` (anonymous when undefined) with what a browser page of the lab sends:
 * the session cookie, and the same-origin header on writes.
 */
export const injectAs = (
  app: FastifyInstance,
  who: SignedIn | undefined,
  { method = 'GET', url, payload }: RequestAs,
): Promise<LightMyRequestResponse> =>
  app.inject({
    method,
    url,
    headers: { ...(method === 'GET' ? {} : { origin: SAME_ORIGIN }), ...(who ? { cookie: who.cookie } : {}) },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
