import type { FastifyPluginAsync } from 'fastify';
import { NotFoundError, SWEEP_ROUTES } from '@nflab/contracts';
import { getSweep, listSweeps } from '@nflab/store';
import { attach } from './attach.js';

/** Sweeps with their run counts (read-only; viewer role). */
export const sweepRoutes: FastifyPluginAsync = async (app) => {
  attach(app, SWEEP_ROUTES.listSweeps, async ({ query }) => {
    const { status, limit, offset } = query;
    const { total, items } = await listSweeps(app.db, {
      ...(status !== undefined ? { status } : {}),
      limit,
      offset,
    });
    return { total, items, limit, offset };
  });

  attach(app, SWEEP_ROUTES.getSweep, async ({ params }) => {
    const { id } = params;
    const sweep = await getSweep(app.db, id);
    if (sweep === undefined) throw new NotFoundError(`sweep ${id} does not exist`);
    return sweep;
  });
};
