/**
 * Reports (issue 17): a run's, a sweep's or a stored comparison's report made as one self-contained
 * HTML page or a PDF, archived with its SHA-256: `POST /api/{runs,sweeps,analyses}/:id/reports`,
 * `GET /api/reports`, `GET /api/reports/:id/download`.
 */
import { z } from 'zod';
import { leaderboardQuerySchema } from './analysis.js';
import { isoDateTime, uuidSchema } from './common.js';

/** File formats a report is made in. */
export const REPORT_FORMATS = ['html', 'pdf'] as const;
/** One of {@link REPORT_FORMATS}. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];
/** What a report can be about. */
export const REPORT_KINDS = ['run', 'sweep', 'compare'] as const;
/** One of {@link REPORT_KINDS}. */
export type ReportKind = (typeof REPORT_KINDS)[number];

/** Newest reports kept per run, sweep or comparison; older ones are deleted as new ones are made. */
export const REPORTS_KEPT_PER_SUBJECT = 20;
/** The most reports one listing returns. */
export const REPORTS_LIST_MAX = 200;

/** `POST /api/runs/:id/reports` and `POST /api/analyses/:id/reports` body. */
export const createReportRequestSchema = z
  .object({ format: z.enum(REPORT_FORMATS).default('html') })
  .strict();
/** `POST /api/sweeps/:id/reports` body: the format and the leaderboard's settings. */
export const createSweepReportRequestSchema = leaderboardQuerySchema.extend({
  format: z.enum(REPORT_FORMATS).default('html'),
});

/** One archived report, without its file. */
export const reportItemSchema = z.object({
  id: z.number().int(),
  kind: z.enum(REPORT_KINDS),
  format: z.enum(REPORT_FORMATS),
  title: z.string(),
  run_id: z.string().nullable(),
  sweep_id: z.string().nullable(),
  analysis_id: z.number().int().nullable(),
  sha256: z.string().nullable(),
  bytes: z.number().int().nullable(),
  params: z.record(z.string(), z.unknown()),
  created_by: z.string().nullable(),
  created_at: isoDateTime,
});
/** One archived report. */
export type ReportItemDto = z.infer<typeof reportItemSchema>;

/** `GET /api/reports` query: a subject's reports, or everyone's newest. */
export const listReportsQuerySchema = z
  .object({
    run_id: uuidSchema.optional(),
    sweep_id: uuidSchema.optional(),
    analysis_id: z.coerce.number().int().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(REPORTS_LIST_MAX).default(50),
  })
  .strict();

/** `GET /api/reports` response. */
export const reportListResponseSchema = z.object({ items: z.array(reportItemSchema) });

/** `GET /api/reports/:id/download` path. */
export const reportParamsSchema = z.object({ id: z.coerce.number().int().min(1) });
