/**
 * CSRF defence: a browser attaches the session cookie to requests any site makes, so a change
 * (POST, PUT, PATCH, DELETE) made with the cookie must come from a page of this server's own
 * origin, as the Origin (or, failing that, Referer) header tells. Bearer-token requests are exempt:
 * no browser adds that header on another site's behalf.
 */
import type { FastifyRequest } from 'fastify';
import { bearerOf, sessionCookieOf } from './credentials.js';
import { CrossOriginError } from './errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const originOf = (url: string): string | undefined => {
  try {
    const { origin } = new URL(url);
    // Opaque origins (file:, data:, sandboxed frames) serialise as "null": never ours.
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
};

/** This server's origin as the client reached it (protocol and host honour `trustProxy`). */
export const ownOrigin = (request: FastifyRequest): string | undefined =>
  request.host ? originOf(`${request.protocol}://${request.host}`) : undefined;

/** Where the request says it was sent from: Origin, else the origin of Referer; undefined when neither. */
const claimedOrigin = (request: FastifyRequest): string | undefined => {
  const { origin, referer } = request.headers;
  if (origin !== undefined) return originOf(origin) ?? origin;
  return referer === undefined ? undefined : (originOf(referer) ?? 'null');
};

/**
 * Throws CrossOriginError for a change that is not provably same-origin: any that names another
 * origin (login included, so no site can sign a browser into another account), and any sent with
 * the session cookie that names none.
 */
export const requireSameOrigin = (request: FastifyRequest): void => {
  if (SAFE_METHODS.has(request.method) || bearerOf(request) !== undefined) return;
  const claimed = claimedOrigin(request);
  const own = ownOrigin(request);
  if (claimed === undefined) {
    if (sessionCookieOf(request) === undefined) return;
    throw new CrossOriginError(
      `${request.method} with the session cookie but no Origin or Referer header is refused (CSRF defence); ` +
        'browsers send Origin on their own, scripts should use an "Authorization: Bearer <token>" header instead',
    );
  }
  if (own !== undefined && claimed === own) return;
  throw new CrossOriginError(
    `${request.method} from origin ${claimed} is refused: changes must come from this server's own pages (${own ?? 'unknown'}). ` +
      'Behind a TLS proxy, start the server with --trust-proxy (NFLAB_TRUST_PROXY) so it knows its public origin',
  );
};
