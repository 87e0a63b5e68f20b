import type { FastifyPluginAsync } from 'fastify';
import { NotFoundError, SWEEP_ROUTES } from '@nflab/contracts';
import { attach } from './attach.js';

/** Sweeps with their run counts (read-only; viewer role). */
export const sweepRoutes: FastifyPluginAsync = async (app) => {
  attach(app, SWEEP_ROUTES.listSweeps, async ({ query }) => {
    const { status, limit, offset } = query;
    const filter = 'WHERE $1::text IS NULL OR status = $1::text';
    const [items, count] = await Promise.all([
      app.db.query(`SELECT * FROM nf_sweeps ${filter} ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`, [
        status ?? null,
        limit,
        offset,
      ]),
      app.db.query<{ total: number }>(`SELECT count(*)::int AS total FROM nf_sweeps ${filter}`, [
        status ?? null,
      ]),
    ]);
    return { total: count.rows[0]?.total ?? 0, items: items.rows, limit, offset };
  });

  attach(app, SWEEP_ROUTES.getSweep, async ({ params }) => {
    const { id } = params;
    const { rows } = await app.db.query('SELECT * FROM nf_sweeps WHERE id = $1', [id]);
    if (rows[0] === undefined) throw new NotFoundError(`sweep ${id} does not exist`);
    return rows[0];
  });
};
