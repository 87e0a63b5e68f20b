/** Request schemas of the data routes (`/api/data/...`); the server parses with them, the UI builds with them. */
import { z } from 'zod';

/** A user-supplied table or view name; the store re-validates it against the catalog. */
const tableName = z.string().min(1).max(63);

/** `GET /api/data/tables?pattern=` */
export const listTablesQuery = z.object({
  pattern: z.string().min(1).max(200).default('nf_loto%'),
});

/** Path of the routes under one table. */
export const tableParams = z.object({ table: tableName });

/** Path of the routes under one game of one table. */
export const gameParams = tableParams.extend({ loto: z.string().min(1).max(64) });

/** `GET /api/data/tables/:table/preview?loto=&limit=` */
export const previewQuery = z.object({
  loto: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(20),
});
