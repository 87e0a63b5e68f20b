import type { FastifyPluginAsync } from 'fastify';
import { USER_ROUTES } from '@nflab/contracts';
import { audit } from '../audit/record.js';
import { createUser, listUsers, updateUser } from '../auth/users.js';
import { attach } from './attach.js';

/** Account administration (admin role). */
export const userRoutes: FastifyPluginAsync = async (app) => {
  attach(app, USER_ROUTES.listUsers, async () => listUsers(app.db));

  attach(app, USER_ROUTES.createUser, async ({ body }, request, reply) => {
    const created = await createUser(app.db, body);
    await audit(request, {
      action: 'user.create',
      entity: 'user',
      entityId: created.id,
      details: { username: created.username, role: created.role },
    });
    return reply.status(201).send(created);
  });

  attach(app, USER_ROUTES.updateUser, async ({ params, body: changes }, request) => {
    const { id } = params;
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
