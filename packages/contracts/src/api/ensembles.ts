/** Schemas of ensembles (`POST /api/ensembles`, `GET /api/runs/:id/ensemble`) and of stored analyses. */
import { z } from 'zod';
import {
  ENSEMBLE_METHODS,
  ENSEMBLE_WEIGHT_METRICS,
  ensembleOptionsSchema,
} from '../specs/ensemble-operation.js';
import { isoDateTime, runStatusSchema, uuidSchema } from './common.js';

/** `POST /api/ensembles` body: the members and how to combine them. */
export const startEnsembleRequestSchema = ensembleOptionsSchema;

/** One member of an ensemble run, with the weight its forecast got. */
export const ensembleMemberSchema = z.object({
  run_id: uuidSchema,
  /** 1-based, in the order the request listed the members. */
  position: z.number().int().min(1),
  model_name: z.string().nullable(),
  status: runStatusSchema,
  /** The member's weight in the forecast beyond the data; null until the ensemble finished (and for median). */
  weight: z.number().nullable(),
  /** The member's error (weight_metric) over the evaluated points all members share; null without any. */
  error: z.number().nullable(),
});

/** An ensemble this run is a member of. */
export const memberOfEnsembleSchema = z.object({
  run_id: uuidSchema,
  status: runStatusSchema,
  method: z.enum(ENSEMBLE_METHODS),
  created_at: isoDateTime,
});

/** `GET /api/runs/:id/ensemble` response: its members (an ensemble run) and the ensembles it is in. */
export const runEnsembleResponseSchema = z.object({
  /** Set when the run is an ensemble. */
  ensemble: z
    .object({
      method: z.enum(ENSEMBLE_METHODS),
      weight_metric: z.enum(ENSEMBLE_WEIGHT_METRICS),
      members: z.array(ensembleMemberSchema),
    })
    .nullable(),
  member_of: z.array(memberOfEnsembleSchema),
});
/** `GET /api/runs/:id/ensemble` response. */
export type RunEnsembleDto = z.infer<typeof runEnsembleResponseSchema>;

/** Most stored analyses one listing returns. */
export const RUN_ANALYSES_MAX = 200;

/** `GET /api/runs/:id/analyses` query. */
export const runAnalysesQuerySchema = z
  .object({ limit: z.coerce.number().int().min(1).max(RUN_ANALYSES_MAX).default(50) })
  .strict();

/** One stored analysis, listed without its result. */
export const storedAnalysisItemSchema = z.object({
  id: z.number().int(),
  kind: z.string(),
  run_ids: z.array(uuidSchema),
  created_by: z.string().nullable(),
  created_at: isoDateTime,
});

/** `GET /api/runs/:id/analyses` response: the stored analyses that read the run, newest first. */
export const runAnalysesResponseSchema = z.object({ items: z.array(storedAnalysisItemSchema) });

/** `GET /api/analyses/:id` path. */
export const analysisParamsSchema = z.object({ id: z.coerce.number().int().min(1) });

/** `GET /api/analyses/:id` response: one stored analysis whole (inputs and result as stored). */
export const storedAnalysisSchema = storedAnalysisItemSchema.extend({
  fingerprint: z.string(),
  inputs: z.unknown(),
  result: z.unknown(),
});
/** `GET /api/analyses/:id` response. */
export type StoredAnalysisDto = z.infer<typeof storedAnalysisSchema>;
