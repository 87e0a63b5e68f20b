/** Request schemas of the data routes (`/api/data/...`); the server parses with them, the UI builds with them. */
import { z } from 'zod';

/** A user-supplied table or view name; the store re-validates it against the catalog. */
const tableName = z.string().min(1).max(63);

/** `GET /api/data/tables?pattern=`: a LIKE pattern applied within the lab's data tables (all of them when absent). */
export const listTablesQuery = z.object({
  pattern: z.string().min(1).max(200).optional(),
});

/** Path of the routes under one table. */
export const tableParams = z.object({ table: tableName });

/** Path of the routes under one game of one table. */
export const gameParams = tableParams.extend({ loto: z.string().min(1).max(64) });

/** `GET /api/data/tables` response: the data tables and views the caller may browse. */
export const listTablesResponseSchema = z.object({
  tables: z.array(z.object({ name: z.string(), kind: z.enum(['table', 'view']) })),
});

/** `GET …/games` response: the games (`loto` values) of a table. */
export const listGamesResponseSchema = z.object({ table: z.string(), games: z.array(z.string()) });

/** One series (`unique_id`) of a game: its row count and first and last `ds` as text. */
export const seriesSummarySchema = z.object({
  uniqueId: z.string(),
  rows: z.number().int(),
  start: z.string(),
  end: z.string(),
});

/** `GET …/games/:loto/series` response. */
export const listSeriesResponseSchema = z.object({
  table: z.string(),
  loto: z.string(),
  series: z.array(seriesSummarySchema),
});

/** `GET /api/data/tables/:table/preview?loto=&limit=` */
export const previewQuery = z.object({
  loto: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(20),
});

/** `GET …/preview` response: column names in table order and the first rows. */
export const previewResponseSchema = z.object({
  table: z.string(),
  columns: z.array(z.string()),
  rows: z.array(z.record(z.string(), z.unknown())),
});

const seriesIdList = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  )
  .pipe(z.array(z.string().min(1).max(64)).min(1).max(200));

/** `GET /api/data/tables/:table/panel?loto=&unique_ids=N1,N2&columns=hist_sum,futr_weekday` */
export const panelQuery = z
  .object({
    loto: z.string().min(1).max(64),
    /** Comma list of series; absent = every series of the game. */
    unique_ids: seriesIdList.optional(),
    /** Comma list of exogenous columns to include; absent = none (just ds and y). */
    columns: seriesIdList.optional(),
  })
  .strict();

/** One series of `GET …/panel`: days, values and the asked exogenous columns (NULL → null). */
export const panelSeriesSchema = z.object({
  unique_id: z.string(),
  ds: z.array(z.string()),
  y: z.array(z.number().nullable()),
  exog: z.record(z.string(), z.array(z.number().nullable())),
});
/** `GET …/panel` response. */
export const panelResponseSchema = z.object({ series: z.array(panelSeriesSchema) });

/** `GET /api/data/tables/:table/profile?loto=` */
export const profileQuery = z.object({ loto: z.string().min(1).max(64) }).strict();

/** `GET …/profile` response: the data-quality profile of one game of a table. */
export const profileResponseSchema = z.object({
  rows: z.number().int(),
  series: z.number().int(),
  /** First and last `ds` (ISO days); null for an empty game. */
  dateRange: z.object({ from: z.string(), to: z.string() }).nullable(),
  /**
   * Draw days the game's schedule has between the first and last draw but the table does not
   * (holidays and special schedules show up here too; they are facts to look at, not errors).
   * At most 500 dates are listed; `count` has them all. null for games the lab has no schedule
   * for or a `ds` that is not a DATE.
   */
  gaps: z.object({ count: z.number().int(), dates: z.array(z.string()).max(500) }).nullable(),
  /** NULL count per column. */
  nulls: z.record(z.string(), z.number().int()),
  /** Distinct non-NULL values per column. */
  distinct: z.record(z.string(), z.number().int()),
  /** Draws (distinct ds) per weekday, 0 = Sunday. */
  weekdays: z.array(z.object({ weekday: z.number().int().min(0).max(6), draws: z.number().int() })),
});
/** `GET …/profile` response. */
export type ProfileDto = z.infer<typeof profileResponseSchema>;
