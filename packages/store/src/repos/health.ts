/** Whether the database answers. */
import type { Queryable } from '../db.js';

/** Sends the cheapest statement; rejects when the database does not answer. */
export const ping = async (db: Queryable): Promise<void> => {
  await db.query('SELECT 1');
};
