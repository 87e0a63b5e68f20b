/**
 * The guard in front of every route: a session cookie or a bearer token identifies the user, and
 * the matched route's declared `access` (see access.ts) says which role it needs — or, for a
 * `scrape` route, that only the metrics scrape token opens it. Whatever the URL
 * looks like, the decision follows the route the router picked.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UserDto } from '@nflab/contracts';
import { tokenUser } from './api-tokens.js';
import { bearerOf, SESSION_COOKIE, sessionCookieOf } from './credentials.js';
import { requireScrapeToken } from '../metrics/scrape-token.js';
import { ForbiddenError, UnauthenticatedError } from './errors.js';
import { roleAllows } from './roles.js';
import { requireSameOrigin } from './same-origin.js';
import { sessionUser } from './sessions.js';

export type { RouteAccess } from './access.js';
export { SESSION_COOKIE };

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user; null on public routes and web assets. */
    user: UserDto | null;
  }
}

const userOf = async (request: FastifyRequest): Promise<UserDto | undefined> => {
  const bearer = bearerOf(request);
  if (bearer !== undefined) return tokenUser(request.server.db, bearer);
  const cookie = sessionCookieOf(request);
  return cookie === undefined ? undefined : sessionUser(request.server.db, cookie);
};

/** onRequest hook: sets `request.user` or answers 401/403 before the handler runs. */
export const authenticate = async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
  request.user = null;
  // No route matched: the not-found handler answers 404 to everyone alike.
  if (request.is404) return;
  const access = request.routeOptions.config.access;
  // Unreachable while requireAccess guards route creation; fail closed should that ever change.
  if (access === undefined) throw new Error(`route ${request.routeOptions.url} has no access declaration`);
  requireSameOrigin(request);
  if (access === 'public') return;
  // Only the scrape token opens a scrape route: no session or API token, whatever its role.
  if (access === 'scrape') return requireScrapeToken(request, request.server.scrape?.token);
  const user = await userOf(request);
  if (user === undefined) throw new UnauthenticatedError();
  request.user = user;
  if (!roleAllows(user.role, access)) throw new ForbiddenError(access, user.role);
};

/** The signed-in user of a guarded route (the hook guarantees one). */
export const currentUser = (request: FastifyRequest): UserDto => {
  if (request.user === null) throw new UnauthenticatedError();
  return request.user;
};
