import type { FastifyPluginAsync } from 'fastify';
import { listSweepsQuerySchema, NotFoundError, parseInput, sweepParamsSchema } from '@nflab/contracts';

/** Sweeps with their run counts (read-only; viewer role). */
export const sweepRoutes: FastifyPluginAsync = async (app) => {
  const viewer = { config: { access: 'viewer' as const } };

  app.get('/sweeps', viewer, async (request) => {
    const { status, limit, offset } = parseInput(listSweepsQuerySchema, request.query, 'query');
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

  app.get('/sweeps/:id', viewer, async (request) => {
    const { id } = parseInput(sweepParamsSchema, request.params, 'path');
    const { rows } = await app.db.query('SELECT * FROM nf_sweeps WHERE id = $1', [id]);
    if (rows[0] === undefined) throw new NotFoundError(`sweep ${id} does not exist`);
    return rows[0];
  });
};
