/** Sign in and out, who am I, and the caller's API tokens. */
import {
  createTokenRequestSchema,
  createTokenResponseSchema,
  idParamsSchema,
  listTokensResponseSchema,
  loginRequestSchema,
  sessionUserResponseSchema,
} from '../api/auth.js';
import { defineRoute } from './define.js';

/** Session and API-token routes (every signed-in role; login is public). */
export const AUTH_ROUTES = {
  login: defineRoute({
    method: 'POST',
    path: '/auth/login',
    summary: 'sign in; sets the nflab_session cookie',
    access: 'public',
    body: loginRequestSchema,
    response: sessionUserResponseSchema,
  }),
  logout: defineRoute({
    method: 'POST',
    path: '/auth/logout',
    summary: 'end this session',
    access: 'viewer',
    status: 204,
  }),
  me: defineRoute({
    method: 'GET',
    path: '/auth/me',
    summary: 'the signed-in user',
    access: 'viewer',
    response: sessionUserResponseSchema,
  }),
  createToken: defineRoute({
    method: 'POST',
    path: '/auth/tokens',
    summary: 'create an API token (shown once)',
    access: 'viewer',
    body: createTokenRequestSchema,
    status: 201,
    response: createTokenResponseSchema,
  }),
  listTokens: defineRoute({
    method: 'GET',
    path: '/auth/tokens',
    summary: 'your API tokens (everyone’s for admins)',
    access: 'viewer',
    response: listTokensResponseSchema,
  }),
  revokeToken: defineRoute({
    method: 'DELETE',
    path: '/auth/tokens/:id',
    summary: 'revoke an API token',
    access: 'viewer',
    params: idParamsSchema,
    status: 204,
  }),
} as const;
