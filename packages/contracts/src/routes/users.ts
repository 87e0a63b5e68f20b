/** Account administration. */
import {
  createUserRequestSchema,
  idParamsSchema,
  listUsersResponseSchema,
  updateUserRequestSchema,
  userDetailSchema,
} from '../api/auth.js';
import { defineRoute } from './define.js';

/** Accounts (admin role). */
export const USER_ROUTES = {
  listUsers: defineRoute({
    method: 'GET',
    path: '/users',
    summary: 'list accounts',
    access: 'admin',
    response: listUsersResponseSchema,
  }),
  createUser: defineRoute({
    method: 'POST',
    path: '/users',
    summary: 'create an account',
    access: 'admin',
    body: createUserRequestSchema,
    status: 201,
    response: userDetailSchema,
  }),
  updateUser: defineRoute({
    method: 'PATCH',
    path: '/users/:id',
    summary: 'change role, password or disabled',
    access: 'admin',
    params: idParamsSchema,
    body: updateUserRequestSchema,
    response: userDetailSchema,
  }),
} as const;
