import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import {
  NotFoundError,
  REPORT_ROUTES as ROUTE,
  type ReportFormat,
  type ReportItemDto,
} from '@nflab/contracts';
import { findReportFile, listReports, type ReportItemRow } from '@nflab/store';
import { audit } from '../audit/record.js';
import { currentUser } from '../auth/plugin.js';
import { makeReport, reportDownload, type ReportTarget } from '../reports/make.js';
import { attach } from './attach.js';

/** A stored report as the API lists it. */
export const reportItem = (row: ReportItemRow): ReportItemDto => ({
  id: Number(row.id),
  kind: row.kind as ReportItemDto['kind'],
  format: row.format as ReportFormat,
  title: row.title,
  run_id: row.run_id,
  sweep_id: row.sweep_id,
  analysis_id: row.analysis_id === null ? null : Number(row.analysis_id),
  sha256: row.sha256,
  bytes: row.bytes,
  params: row.params as Record<string, unknown>,
  created_by: row.created_by,
  created_at: row.created_at.toISOString(),
});

/**
 * Reports (issue 17): editors make them — rendered in the request from the lab's own data, a PDF
 * through the server's bounded Chromium queue — and each is audited; viewers list and download
 * them as the very file that was archived (its SHA-256 is in the listing and a response header).
 */
export const reportRoutes: FastifyPluginAsync = async (app) => {
  const create = async (request: FastifyRequest, target: ReportTarget, format: ReportFormat) => {
    const row = await makeReport(app.db, target, {
      format,
      pdf: app.lab.pdf,
      createdBy: currentUser(request).username,
    });
    await audit(request, {
      action: 'report.create',
      entity: 'report',
      entityId: String(row.id),
      details: {
        kind: row.kind,
        format,
        run_id: row.run_id,
        sweep_id: row.sweep_id,
        analysis_id: row.analysis_id,
        sha256: row.sha256,
      },
    });
    return reportItem(row);
  };

  attach(app, ROUTE.createRunReport, async ({ params, body }, request, reply) =>
    reply.status(201).send(await create(request, { kind: 'run', runId: params.id }, body.format)),
  );

  attach(app, ROUTE.createSweepReport, async ({ params, body }, request, reply) => {
    const { format, ...settings } = body;
    return reply
      .status(201)
      .send(await create(request, { kind: 'sweep', sweepId: params.id, settings }, format));
  });

  attach(app, ROUTE.createCompareReport, async ({ params, body }, request, reply) =>
    reply.status(201).send(await create(request, { kind: 'compare', analysisId: params.id }, body.format)),
  );

  attach(app, ROUTE.listReports, async ({ query }) => ({
    items: (
      await listReports(app.db, {
        runId: query.run_id,
        sweepId: query.sweep_id,
        analysisId: query.analysis_id,
        limit: query.limit,
      })
    ).map(reportItem),
  }));

  attach(app, ROUTE.downloadReport, async ({ params }, request, reply) => {
    const row = await findReportFile(app.db, params.id);
    if (row === undefined) throw new NotFoundError(`report ${params.id} does not exist`);
    const { contentType, fileName } = reportDownload({ ...row, id: Number(row.id) });
    await audit(request, { action: 'report.download', entity: 'report', entityId: String(row.id) });
    return (
      reply
        .type(contentType)
        .header('content-length', String(row.body.byteLength))
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .header('x-content-sha256', row.sha256 ?? '')
        // A report shown inline anyway (a browser that ignores attachment) runs nothing and loads nothing.
        .header(
          'content-security-policy',
          "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox",
        )
        .send(Buffer.from(row.body))
    );
  });
};
