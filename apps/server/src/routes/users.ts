import type { FastifyPluginAsync } from 'fastify';
import {
  createUserRequestSchema,
  idParamsSchema,
  parseInput,
  updateUserRequestSchema,
} from '@nflab/contracts';
import { audit } from '../audit/record.js';
import { createUser, listUsers, updateUser } from '../auth/users.js';

/** Account administration (admin role). */
export const userRoutes: FastifyPluginAsync = async (app) => {
  const admin = { config: { access: 'admin' as const } };

  app.get('/users', admin, async () => listUsers(app.db));

  app.post('/users', admin, async (request, reply) => {
    const body = parseInput(createUserRequestSchema, request.body, 'body');
    const created = await createUser(app.db, body);
    await audit(request, {
      action: 'user.create',
      entity: 'user',
      entityId: created.id,
      details: { username: created.username, role: created.role },
    });
    return reply.status(201).send(created);
  });

  app.patch('/users/:id', admin, async (request) => {
    const { id } = parseInput(idParamsSchema, request.params, 'path');
    const changes = parseInput(updateUserRequestSchema, request.body, 'body');
    const updated = await updateUser(app.db, id, changes);
    await audit(request, {
      action: 'user.update',
      entity: 'user',
      entityId: id,
      details: {
        username: updated.username,
        role: changes.role,
        disabled: changes.disabled,
        password_changed: changes.password !== undefined,
      },
    });
    return updated;
  });
};
