import type { FastifyPluginAsync } from 'fastify';
import { AUTH_ROUTES } from '@nflab/contracts';
import { audit } from '../audit/record.js';
import { createApiToken, listApiTokens, revokeApiToken } from '../auth/api-tokens.js';
import { TooManyAttemptsError, UnauthenticatedError } from '../auth/errors.js';
import { DUMMY_PASSWORD_HASH, verifyPassword } from '../auth/password.js';
import { currentUser, SESSION_COOKIE } from '../auth/plugin.js';
import { createSession, deleteSession, SESSION_TTL_MS } from '../auth/sessions.js';
import { findUserByName, publicUser } from '../auth/users.js';
import { attach } from './attach.js';

const BAD_CREDENTIALS = 'wrong username or password';

/** Sign in and out, who am I, and the caller's API tokens. */
export const authRoutes: FastifyPluginAsync = async (app) => {
  attach(app, AUTH_ROUTES.login, async ({ body }, request, reply) => {
    const { username, password } = body;
    const attempt = { username, address: request.ip };
    // Locked out (too many failures for this username or from this address): refused unchecked.
    const lockout = await app.loginThrottle.lockout(attempt);
    if (lockout !== undefined) throw new TooManyAttemptsError(lockout.retryAfterSeconds);
    const user = await findUserByName(app.db, username);
    // Unknown users cost a hash check too, so timing does not tell which usernames exist.
    const matches = await verifyPassword(password, user?.password_hash ?? DUMMY_PASSWORD_HASH);
    if (user === undefined || !matches || user.disabled) {
      const reason = user === undefined ? 'unknown user' : matches ? 'disabled' : 'wrong password';
      await audit(request, {
        action: 'auth.login',
        entity: 'user',
        entityId: user?.id,
        actor: username,
        outcome: 'failure',
        details: { reason },
      });
      // Resolves to the lockout this failure started when it was the last one allowed. Only the
      // start of a lockout is audited: attempts refused during it would let a client fill the log.
      const started = await app.loginThrottle.recordFailure(attempt);
      if (started !== undefined) {
        await audit(request, {
          action: 'auth.lockout',
          entity: 'user',
          entityId: user?.id,
          actor: username,
          outcome: 'denied',
          details: { retry_after_s: started.retryAfterSeconds },
        });
      }
      throw new UnauthenticatedError(BAD_CREDENTIALS);
    }
    await app.loginThrottle.recordSuccess(attempt);
    const token = await createSession(app.db, user.id, {
      ip: request.ip,
      userAgent: request.headers['user-agent'],
    });
    void reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: 'auto',
      maxAge: SESSION_TTL_MS / 1000,
    });
    await audit(request, { action: 'auth.login', entity: 'user', entityId: user.id, actor: user.username });
    return { user: publicUser(user) };
  });

  attach(app, AUTH_ROUTES.logout, async (_values, request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token !== undefined) await deleteSession(app.db, token);
    await audit(request, { action: 'auth.logout', entity: 'session' });
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  attach(app, AUTH_ROUTES.me, async (_values, request) => ({ user: currentUser(request) }));

  attach(app, AUTH_ROUTES.createToken, async ({ body }, request, reply) => {
    const { token, row } = await createApiToken(app.db, {
      userId: currentUser(request).id,
      name: body.name,
      expiresInDays: body.expires_in_days,
    });
    await audit(request, {
      action: 'token.create',
      entity: 'token',
      entityId: row.id,
      details: { name: row.name, user_id: row.user_id },
    });
    return reply.status(201).send({ id: row.id, name: row.name, token });
  });

  // Admins see and revoke everyone's tokens; others only their own.
  const ownerScope = (role: string, id: string): string | undefined => (role === 'admin' ? undefined : id);

  attach(app, AUTH_ROUTES.listTokens, async (_values, request) => {
    const user = currentUser(request);
    return listApiTokens(app.db, ownerScope(user.role, user.id));
  });

  attach(app, AUTH_ROUTES.revokeToken, async ({ params }, request, reply) => {
    const { id } = params;
    const user = currentUser(request);
    await revokeApiToken(app.db, id, ownerScope(user.role, user.id));
    await audit(request, { action: 'token.revoke', entity: 'token', entityId: id });
    return reply.status(204).send();
  });
};
