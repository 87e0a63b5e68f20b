import type { FastifyPluginAsync } from 'fastify';
import { listSweepsQuerySchema, NotFoundError, parseInput, sweepParamsSchema } from '@nflab/contracts';
import { getSweep, listSweeps } from '@nflab/store';

/** Sweeps with their run counts (read-only; viewer role). */
export const sweepRoutes: FastifyPluginAsync = async (app) => {
  const viewer = { config: { access: 'viewer' as const } };

  app.get('/sweeps', viewer, async (request) => {
    const { status, limit, offset } = parseInput(listSweepsQuerySchema, request.query, 'query');
    const { total, items } = await listSweeps(app.db, {
      ...(status !== undefined ? { status } : {}),
      limit,
      offset,
    });
    return { total, items, limit, offset };
  });

  app.get('/sweeps/:id', viewer, async (request) => {
    const { id } = parseInput(sweepParamsSchema, request.params, 'path');
    const sweep = await getSweep(app.db, id);
    if (sweep === undefined) throw new NotFoundError(`sweep ${id} does not exist`);
    return sweep;
  });
};
