/** Pieces every API schema shares: the error body, list pages, ids and timestamps. */
import { z } from 'zod';

/** An ISO-8601 instant in UTC, as the server sends every timestamp. */
export const isoDateTime = z.string();

/** Largest value of a PostgreSQL `integer` column (horizon, counts): a bigger filter could never match and would fail the cast. */
export const INT4_MAX = 2_147_483_647;

// Years 1-9999 are the ones both PostgreSQL's timestamptz literals (no year 0) and JavaScript's
// Date (±275,760 years) read the same way, and all a run history can hold.
const inSupportedYears = (text: string): boolean => {
  const year = Number(text.slice(0, 4));
  return year >= 1 && year <= 9999 && Number.isFinite(Date.parse(text));
};

/**
 * A date-range filter bound: an ISO date (`2026-01-31`) or date-time with offset
 * (`2026-01-31T12:00:00Z`), a real calendar day in the years 0001-9999.
 */
export const instantFilterSchema = z.iso
  .date()
  .or(z.iso.datetime({ offset: true }))
  .refine(inSupportedYears, { message: 'use a date between 0001-01-01 and 9999-12-31' });

/** One field that was wrong in a request (`query.limit`, `body.spec.h`). */
export const inputIssueSchema = z.object({ path: z.string(), message: z.string() });

/** The body of every error response; `issues` comes with 400 invalid-input answers. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(inputIssueSchema).optional(),
  }),
});
/** An error response body. */
export type ErrorBodyDto = z.infer<typeof errorBodySchema>;

/** A run, sweep or user id. */
export const uuidSchema = z.uuid();

/** `limit` and `offset` of a list endpoint. */
export const pageQueryShape = {
  /** @default 50 */
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** @default 0 */
  offset: z.coerce.number().int().min(0).default(0),
};

/** A page of a list endpoint: the items, how many match in total, and the page asked for. */
export const pageOf = <Item extends z.ZodType>(item: Item) =>
  z.object({
    total: z.number().int(),
    items: z.array(item),
    limit: z.number().int(),
    offset: z.number().int(),
  });

/** Statuses of runs and sweeps (the `status` CHECK of nf_model_runs and nf_sweeps). */
export const RUN_STATUS_IDS = ['queued', 'running', 'finished', 'failed', 'cancelled'] as const;
/** One of {@link RUN_STATUS_IDS}. */
export type RunStatusId = (typeof RUN_STATUS_IDS)[number];
/** zod schema of a run or sweep status. */
export const runStatusSchema = z.enum(RUN_STATUS_IDS);

/** A comma-separated query value (`a,b,c`) as a list; empty items are dropped. */
export const commaList = z.string().transform((text) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

/** A run or sweep spec in a request body: an object, checked in full by its own spec schema. */
export const specObject = z.record(z.string(), z.unknown());
