/** Sweeps in nf_sweeps, read with the run counts their trigger keeps. */
import type { Queryable } from '../db.js';
import type { SweepRow } from '../schema/tables.js';

/** A page of sweeps, newest first, optionally of one status. */
export interface SweepPageQuery {
  readonly status?: SweepRow['status'];
  readonly limit: number;
  readonly offset: number;
}

/** One page of sweeps and how many match in total. */
export const listSweeps = async (
  db: Queryable,
  { status, limit, offset }: SweepPageQuery,
): Promise<{ total: number; items: SweepRow[] }> => {
  const filter = 'WHERE $1::text IS NULL OR status = $1::text';
  const [items, count] = await Promise.all([
    db.query<SweepRow>(`SELECT * FROM nf_sweeps ${filter} ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`, [
      status ?? null,
      limit,
      offset,
    ]),
    db.query<{ total: number }>(`SELECT count(*)::int AS total FROM nf_sweeps ${filter}`, [status ?? null]),
  ]);
  return { total: count.rows[0]?.total ?? 0, items: items.rows };
};

/** Sweep `id`, or undefined. */
export const getSweep = async (db: Queryable, id: string): Promise<SweepRow | undefined> => {
  const { rows } = await db.query<SweepRow>('SELECT * FROM nf_sweeps WHERE id = $1', [id]);
  return rows[0];
};

/** True when sweep `id` exists. */
export const sweepExists = async (db: Queryable, id: string): Promise<boolean> =>
  (await db.query('SELECT 1 FROM nf_sweeps WHERE id = $1', [id])).rows.length > 0;
