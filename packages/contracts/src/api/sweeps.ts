/** Schemas of the sweep, spec and plan routes (`/api/sweeps/...`, `/api/specs/...`, `/api/schemas/...`). */
import { z } from 'zod';
import { isoDateTime, pageOf, pageQueryShape, runStatusSchema, uuidSchema, specObject } from './common.js';

/** `GET /api/sweeps` query. */
export const listSweepsQuerySchema = z
  .object({ status: runStatusSchema.optional(), ...pageQueryShape })
  .strict();

/** A row of nf_sweeps, with the per-status run counts its trigger keeps. */
export const sweepSchema = z.object({
  id: uuidSchema,
  name: z.string().nullable(),
  spec: z.unknown(),
  mode: z.string(),
  status: runStatusSchema,
  planned_runs: z.number().int().nullable(),
  runs_queued: z.number().int(),
  runs_running: z.number().int(),
  runs_finished: z.number().int(),
  runs_failed: z.number().int(),
  runs_cancelled: z.number().int(),
  start_time: isoDateTime.nullable(),
  end_time: isoDateTime.nullable(),
  created_at: isoDateTime,
  updated_at: isoDateTime,
});
/** A row of nf_sweeps. */
export type SweepDto = z.infer<typeof sweepSchema>;
/** `GET /api/sweeps` response, newest first. */
export const listSweepsResponseSchema = pageOf(sweepSchema);
/** Path of the routes under one sweep. */
export const sweepParamsSchema = z.object({ id: uuidSchema });

/** `POST /api/sweeps` body: a sweep spec (validated with the sweep spec schema) and a display name. */
export const startSweepRequestSchema = z
  .object({ name: z.string().min(1).max(200).optional(), spec: specObject })
  .strict();
/** `POST /api/sweeps` response. */
export const startSweepResponseSchema = z.object({
  sweepId: uuidSchema,
  runIds: z.array(uuidSchema),
  count: z.number().int(),
});
/**
 * `POST /api/sweeps/:id/resume` response: combinations of the plan that never made it into the
 * database (`added`) and runs lost with a dead worker put back in the queue (`requeued`).
 */
export const resumeSweepResponseSchema = z.object({ added: z.number().int(), requeued: z.number().int() });

/** Which spec `POST /api/specs/validate` checks. */
export const SPEC_KINDS = ['run', 'sweep'] as const;
/** `POST /api/specs/validate` body. */
export const validateSpecRequestSchema = z.object({ kind: z.enum(SPEC_KINDS), spec: specObject }).strict();
/** `POST /api/specs/validate` response when valid (invalid specs answer 400 with issues). */
export const validateSpecResponseSchema = z.object({ valid: z.literal(true), spec: specObject });

/** Most combinations one page of `POST /api/sweeps/plan` returns. */
export const PLAN_PAGE_MAX = 500;
/** Combinations a plan page returns when the request gives no `limit`. */
export const PLAN_PAGE_DEFAULT = 100;

/**
 * `POST /api/sweeps/plan` body. The plan is paged: `offset`/`limit` pick the same slice of the
 * valid runs and of the invalid combinations (both in expansion order), so one request carries
 * the counts and one page of each.
 */
export const planSweepRequestSchema = z
  .object({
    spec: specObject,
    /** Position of the first run (and invalid combination) returned. @default 0 */
    offset: z.number().int().min(0).default(0),
    /** Runs (and invalid combinations) returned at most. @default 100 */
    limit: z.number().int().min(1).max(PLAN_PAGE_MAX).default(PLAN_PAGE_DEFAULT),
  })
  .strict();
/**
 * `POST /api/sweeps/plan` response: how many combinations the sweep forms, how many would run,
 * how many cannot and why, one page of each list, and a duration estimate.
 */
export const planSweepResponseSchema = z.object({
  /** Valid, distinct runs: what would start. */
  count: z.number().int(),
  /** Combinations the sweep forms before duplicates and invalid ones are removed. */
  combinations: z.number().int(),
  duplicatesRemoved: z.number().int(),
  /** Combinations that cannot run. */
  invalidCount: z.number().int(),
  offset: z.number().int(),
  limit: z.number().int(),
  /** Valid runs `offset … offset + limit - 1`. */
  runs: z.array(z.object({ index: z.number().int(), fingerprint: z.string(), spec: specObject })),
  /** Invalid combinations `offset … offset + limit - 1`, each with every reason. */
  invalid: z.array(z.object({ spec: z.unknown(), reasons: z.array(z.string()) })),
  /**
   * Rough wall-clock seconds for ALL the valid runs one after another: trials × steps × a per-step
   * cost measured on the lab's benchmark machine. A guide for the review page, not a promise.
   */
  estimatedSeconds: z.number(),
});
/** `POST /api/sweeps/plan` response. */
export type SweepPlanDto = z.infer<typeof planSweepResponseSchema>;
