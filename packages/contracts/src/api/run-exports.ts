/** Exports of a run to external trackers (W&B, the user's MLflow server): `GET/POST /api/runs/:id/exports…`. */
import { z } from 'zod';
import { isoDateTime } from './common.js';

/** Where one export of a run stands. */
export const runExportSchema = z.object({
  sink: z.enum(['mlflow', 'wandb']),
  /** pending: waiting for its first try or a retry; exported; failed: given up after its attempts or a refusal. */
  status: z.enum(['pending', 'exported', 'failed']),
  attempts: z.number().int(),
  next_attempt_at: isoDateTime.nullable(),
  last_error: z.string().nullable(),
  /** The run's id in the tracker (`entity/project/run` on W&B, the MLflow run id on MLflow) and its page there. */
  external_id: z.string().nullable(),
  external_url: z.string().nullable(),
  /** The sink's options from the run spec (W&B: project, entity, mode; MLflow: experiment_name, tracking_uri). */
  options: z.record(z.string(), z.unknown()),
  exported_at: isoDateTime.nullable(),
});
/** One export of a run. */
export type RunExportDto = z.infer<typeof runExportSchema>;

/** `GET /api/runs/:id/exports` response. */
export const runExportsResponseSchema = z.object({ exports: z.array(runExportSchema) });
/** `GET /api/runs/:id/exports` response, by type. */
export type RunExportsResponseDto = z.infer<typeof runExportsResponseSchema>;

/** `POST /api/runs/:id/exports/retry` response: how many exports were made due again. */
export const retryRunExportsResponseSchema = z.object({ retried: z.number().int() });
