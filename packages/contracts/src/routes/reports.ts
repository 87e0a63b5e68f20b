/** Reports: made by editors (audited, rendered in the request), listed and downloaded by viewers. */
import { analysisParamsSchema } from '../api/ensembles.js';
import {
  createReportRequestSchema,
  createSweepReportRequestSchema,
  listReportsQuerySchema,
  reportItemSchema,
  reportListResponseSchema,
  reportParamsSchema,
} from '../api/reports.js';
import { runParamsSchema } from '../api/runs.js';
import { sweepParamsSchema } from '../api/sweeps.js';
import { defineRoute } from './define.js';

export const REPORT_ROUTES = {
  createRunReport: defineRoute({
    method: 'POST',
    path: '/runs/:id/reports',
    summary: "make and archive a run's report (self-contained HTML, or PDF through headless Chromium)",
    access: 'editor',
    params: runParamsSchema,
    body: createReportRequestSchema,
    bodyMayBeEmpty: true,
    status: 201,
    response: reportItemSchema,
  }),
  createSweepReport: defineRoute({
    method: 'POST',
    path: '/sweeps/:id/reports',
    summary: "make and archive a sweep's report: its leaderboard with the corrected verdict",
    access: 'editor',
    params: sweepParamsSchema,
    body: createSweepReportRequestSchema,
    bodyMayBeEmpty: true,
    status: 201,
    response: reportItemSchema,
  }),
  createCompareReport: defineRoute({
    method: 'POST',
    path: '/analyses/:id/reports',
    summary: 'make and archive the report of a stored comparison of runs',
    access: 'editor',
    params: analysisParamsSchema,
    body: createReportRequestSchema,
    bodyMayBeEmpty: true,
    status: 201,
    response: reportItemSchema,
  }),
  listReports: defineRoute({
    method: 'GET',
    path: '/reports',
    summary: "archived reports, newest first: a run's, a sweep's, a comparison's, or all",
    access: 'viewer',
    query: listReportsQuerySchema,
    response: reportListResponseSchema,
  }),
  downloadReport: defineRoute({
    method: 'GET',
    path: '/reports/:id/download',
    summary: 'one archived report as the file that was made (text/html or application/pdf)',
    access: 'viewer',
    params: reportParamsSchema,
  }),
} as const;
