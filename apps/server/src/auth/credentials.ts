/** Where a request carries its credentials: the session cookie or an `Authorization: Bearer` header. */
import type { FastifyRequest } from 'fastify';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'nflab_session';

/** The bearer token of the Authorization header, if any. */
export const bearerOf = (request: FastifyRequest): string | undefined => {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
};

/** The session cookie's token, if any. */
export const sessionCookieOf = (request: FastifyRequest): string | undefined =>
  request.cookies[SESSION_COOKIE];
