import type { FastifyPluginAsync } from 'fastify';
import {
  createUserRequestSchema,
  idParamsSchema,
  parseInput,
  updateUserRequestSchema,
} from '@nflab/contracts';
import { createUser, listUsers, updateUser } from '../auth/users.js';

/** Account administration (admin role). */
export const userRoutes: FastifyPluginAsync = async (app) => {
  const admin = { config: { access: 'admin' as const } };

  app.get('/users', admin, async () => listUsers(app.db));

  app.post('/users', admin, async (request, reply) => {
    const body = parseInput(createUserRequestSchema, request.body, 'body');
    return reply.status(201).send(await createUser(app.db, body));
  });

  app.patch('/users/:id', admin, async (request) => {
    const { id } = parseInput(idParamsSchema, request.params, 'path');
    return updateUser(app.db, id, parseInput(updateUserRequestSchema, request.body, 'body'));
  });
};
