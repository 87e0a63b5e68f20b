/**
 * The scrape token: `/metrics` is served only when one is configured, and only to a request that
 * carries it as a bearer token. It is no user's credential (a signed-in admin cannot scrape
 * without it), so handing it to Prometheus gives nothing else away.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ConfigError, NotFoundError } from '@nflab/contracts';
import { audit } from '../audit/record.js';
import { bearerOf } from '../auth/credentials.js';
import { UnauthenticatedError } from '../auth/errors.js';

/** The environment variable holding the scrape token. */
export const METRICS_TOKEN_ENV = 'NFLAB_METRICS_TOKEN';

/** Shortest scrape token accepted: long enough that guessing it over HTTP is hopeless. */
export const MIN_METRICS_TOKEN_LENGTH = 16;

/**
 * The scrape token from the server option, else `$NFLAB_METRICS_TOKEN`; undefined (metrics off)
 * when neither is set or the option is false. An empty variable counts as unset; a short one
 * stops the server from starting rather than guard the metrics weakly.
 */
export const resolveMetricsToken = (
  option: string | false | undefined,
  env: NodeJS.ProcessEnv,
): string | undefined => {
  if (option === false) return undefined;
  const token = option ?? env[METRICS_TOKEN_ENV];
  if (token === undefined || token === '') return undefined;
  if (token.length < MIN_METRICS_TOKEN_LENGTH || /\s/.test(token)) {
    throw new ConfigError(
      `${METRICS_TOKEN_ENV}: the scrape token must be at least ${MIN_METRICS_TOKEN_LENGTH} characters without spaces ` +
        `(it has ${token.length}); generate one with \`openssl rand -hex 32\``,
    );
  }
  return token;
};

// Hashing first gives equal lengths, so the comparison takes the same time whatever was sent.
const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** True when `given` is `expected`, compared in constant time. */
export const tokenMatches = (expected: string, given: string | undefined): boolean =>
  given !== undefined && timingSafeEqual(digest(expected), digest(given));

/**
 * The guard of a `scrape` route: 404 naming the setting while no token is configured, 401 (and an
 * audit entry, as for a failed sign-in) unless the request's bearer token is the configured one.
 */
export const requireScrapeToken = async (
  request: FastifyRequest,
  token: string | undefined,
): Promise<void> => {
  if (token === undefined) {
    throw new NotFoundError(
      `metrics are off: set ${METRICS_TOKEN_ENV} to a secret of at least ${MIN_METRICS_TOKEN_LENGTH} characters, ` +
        'restart the server, and have Prometheus send it as "Authorization: Bearer <token>"',
    );
  }
  const given = bearerOf(request);
  if (tokenMatches(token, given)) return;
  await audit(request, {
    action: 'metrics.scrape',
    entity: 'route',
    entityId: `${request.method} ${request.routeOptions.url ?? request.url}`,
    outcome: 'failure',
    details: { reason: given === undefined ? 'no bearer token' : 'wrong token' },
  });
  throw new UnauthenticatedError(
    `send the scrape token configured in ${METRICS_TOKEN_ENV} as "Authorization: Bearer <token>"`,
  );
};
