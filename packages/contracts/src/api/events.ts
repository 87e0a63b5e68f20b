/** Live events (`GET /api/events`, Server-Sent Events): names, query and payloads. */
import { z } from 'zod';
import { isoDateTime, runStatusSchema, uuidSchema } from './common.js';

/** Event names sent as the SSE `event:` field. */
export const EVENT_TYPES = [
  'run-status',
  'sweep-progress',
  'step',
  'trial',
  'resource',
  'monitor-alert',
] as const;
/** One of {@link EVENT_TYPES}. */
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * `GET /api/events` query: narrow to one sweep or run; `after` replays events after that id
 * (the `Last-Event-ID` header does the same and wins when both are given).
 */
export const eventsQuerySchema = z
  .object({
    sweep_id: uuidSchema.optional(),
    run_id: uuidSchema.optional(),
    after: z.coerce.number().int().min(0).optional(),
  })
  .strict();

/** `run-status`: a run changed status. */
export const runStatusEventSchema = z.object({
  run_id: uuidSchema,
  sweep_id: uuidSchema.nullable(),
  status: runStatusSchema,
  previous: runStatusSchema.nullable(),
  error_message: z.string().nullable(),
});
/** `sweep-progress`: a sweep's status or run counts changed. */
export const sweepProgressEventSchema = z.object({
  sweep_id: uuidSchema,
  status: runStatusSchema,
  planned_runs: z.number().int().nullable(),
  runs_queued: z.number().int(),
  runs_running: z.number().int(),
  runs_finished: z.number().int(),
  runs_failed: z.number().int(),
  runs_cancelled: z.number().int(),
});
/** `step`: one training step's losses were recorded (one event per nf_step_metrics row). */
export const stepEventSchema = z.object({
  id: z.number().int(),
  run_id: uuidSchema,
  trial_id: z.number().int().nullable(),
  step: z.number().int(),
  train_loss: z.number().nullable(),
  valid_loss: z.number().nullable(),
  at: isoDateTime,
});
/** `trial`: a trial started or changed state. */
export const trialEventSchema = z.object({
  id: z.number().int(),
  run_id: uuidSchema,
  number: z.number().int(),
  state: z.enum(['RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING']),
  value: z.number().nullable(),
});
/** `resource`: a resource sample was recorded (the whole nf_resource_samples row). */
export const resourceEventSchema = z
  .object({ id: z.number().int(), run_id: uuidSchema, at: isoDateTime })
  .loose();

/** `monitor-alert`: a scheduled monitor's drift check crossed its thresholds. */
export const monitorAlertEventSchema = z.object({
  monitor_id: z.number().int(),
  monitor: z.string(),
  monitor_run_id: z.number().int(),
  table_name: z.string(),
  loto: z.string(),
  check_id: uuidSchema,
  /** Series (null for the drawn numbers' uniformity test) and column of every drifted test. */
  drifted: z.array(z.object({ unique_id: z.string().nullable(), column: z.string() })),
  refit_run_id: uuidSchema.nullable(),
});

/** Payload schema of each event type. */
export const EVENT_PAYLOADS = {
  'run-status': runStatusEventSchema,
  'sweep-progress': sweepProgressEventSchema,
  step: stepEventSchema,
  trial: trialEventSchema,
  resource: resourceEventSchema,
  'monitor-alert': monitorAlertEventSchema,
} as const satisfies Record<EventType, z.ZodType>;

/**
 * One live event as a client assembles it: `id` and `type` travel as the SSE `id:` and `event:`
 * fields and `data` as the `data:` JSON (the payload alone, no envelope); `at` is when the client
 * received it unless the payload says otherwise.
 */
export type LabEventDto = {
  [T in EventType]: { id: number; type: T; at: string; data: z.infer<(typeof EVENT_PAYLOADS)[T]> };
}[EventType];
