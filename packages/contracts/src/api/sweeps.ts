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

/** `POST /api/sweeps/plan` body. */
export const planSweepRequestSchema = z.object({ spec: specObject }).strict();
/** `POST /api/sweeps/plan` response: what would run, what cannot and why, and a duration estimate. */
export const planSweepResponseSchema = z.object({
  count: z.number().int(),
  combinations: z.number().int(),
  duplicatesRemoved: z.number().int(),
  runs: z.array(z.object({ index: z.number().int(), fingerprint: z.string(), spec: specObject })),
  invalid: z.array(z.object({ spec: z.unknown(), reasons: z.array(z.string()) })),
  /**
   * Rough wall-clock seconds for the valid runs one after another: trials × steps × a per-step
   * cost measured on the lab's benchmark machine. A guide for the review page, not a promise.
   */
  estimatedSeconds: z.number(),
});
/** `POST /api/sweeps/plan` response. */
export type SweepPlanDto = z.infer<typeof planSweepResponseSchema>;
