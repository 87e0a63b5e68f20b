/**
 * Authentication for every `/api` route: a session cookie or a bearer token identifies the user,
 * and the route's `access` (its Fastify `config`) says which role it needs.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UserDto, UserRole } from '@nflab/contracts';
import { tokenUser } from './api-tokens.js';
import { ForbiddenError, UnauthenticatedError } from './errors.js';
import { roleAllows } from './roles.js';
import { sessionUser } from './sessions.js';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'nflab_session';

/** Who may call a route: anyone (`public`) or a signed-in user with at least this role. */
export type RouteAccess = 'public' | UserRole;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route. @default 'viewer' */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** The signed-in user; null on public routes and web assets. */
    user: UserDto | null;
  }
}

const bearerOf = (request: FastifyRequest): string | undefined => {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
};

const userOf = async (request: FastifyRequest): Promise<UserDto | undefined> => {
  const bearer = bearerOf(request);
  if (bearer !== undefined) return tokenUser(request.server.db, bearer);
  const cookie = request.cookies[SESSION_COOKIE];
  return cookie === undefined ? undefined : sessionUser(request.server.db, cookie);
};

/** onRequest hook: sets `request.user` or answers 401/403 before the handler runs. */
export const authenticate = async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
  request.user = null;
  // Web assets and the SPA shell load before anyone signs in; only the API is guarded.
  if (!request.url.startsWith('/api/')) return;
  const access = request.routeOptions.config.access ?? 'viewer';
  if (access === 'public') return;
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
