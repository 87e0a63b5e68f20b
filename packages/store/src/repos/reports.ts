/**
 * Archived reports (nf_reports): a run's, a sweep's or a comparison's report rendered once to an
 * HTML page or a PDF, stored with its SHA-256 so a download is byte for byte the file that was
 * made. Each subject keeps only its newest reports, so repeated clicks cannot fill the database.
 */
import type { Db, Queryable } from '../db.js';
import type { ReportRow } from '../schema/tables.js';

/** What a report is about: one run, one sweep, or one stored comparison. */
export type ReportSubject =
  | { readonly kind: 'run'; readonly runId: string }
  | { readonly kind: 'sweep'; readonly sweepId: string }
  | { readonly kind: 'compare'; readonly analysisId: number; readonly runIds: readonly string[] };

/** A report to archive. */
export interface NewReport {
  readonly subject: ReportSubject;
  readonly title: string;
  readonly format: 'html' | 'pdf';
  /** The file: UTF-8 HTML text or the PDF's bytes. */
  readonly body: Uint8Array;
  readonly sha256: string;
  /** How it was made (metric, correction, alpha …), shown in listings. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly createdBy: string | null;
  /** Reports of the same subject beyond this many (newest kept) are deleted. */
  readonly keep: number;
}

/** A report as listed: everything but its file. */
export type ReportItemRow = Omit<ReportRow, 'html' | 'content' | 'path'>;

/** A report with its file, for download. */
export interface ReportFileRow extends ReportItemRow {
  readonly body: Uint8Array;
}

const ITEM_COLUMNS =
  'id, run_id, sweep_id, run_ids, title, params, created_at, kind, format, sha256, bytes, analysis_id, created_by';

const subjectColumns = (subject: ReportSubject) => ({
  runId: subject.kind === 'run' ? subject.runId : null,
  sweepId: subject.kind === 'sweep' ? subject.sweepId : null,
  analysisId: subject.kind === 'compare' ? subject.analysisId : null,
  runIds: subject.kind === 'compare' ? [...subject.runIds] : [],
});

/** Archives a report and drops the subject's oldest beyond `keep`, in one transaction. */
export const insertReport = async (db: Db, report: NewReport): Promise<ReportItemRow> => {
  const { runId, sweepId, analysisId, runIds } = subjectColumns(report.subject);
  const html = report.format === 'html' ? new TextDecoder().decode(report.body) : null;
  const content = report.format === 'pdf' ? report.body : null;
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<ReportItemRow>(
      `INSERT INTO nf_reports (run_id, sweep_id, analysis_id, run_ids, kind, title, format, html, content,
                               sha256, bytes, params, created_by)
       VALUES ($1, $2, $3, $4::uuid[], $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13)
       RETURNING ${ITEM_COLUMNS}`,
      [
        runId,
        sweepId,
        analysisId,
        runIds,
        report.subject.kind,
        report.title,
        report.format,
        html,
        content,
        report.sha256,
        report.body.byteLength,
        JSON.stringify(report.params),
        report.createdBy,
      ],
    );
    // Same subject: same kind and target (a comparison's target is its stored analysis).
    await tx.query(
      `DELETE FROM nf_reports
        WHERE kind = $1 AND run_id IS NOT DISTINCT FROM $2 AND sweep_id IS NOT DISTINCT FROM $3
          AND analysis_id IS NOT DISTINCT FROM $4
          AND id NOT IN (SELECT id FROM nf_reports
                          WHERE kind = $1 AND run_id IS NOT DISTINCT FROM $2
                            AND sweep_id IS NOT DISTINCT FROM $3 AND analysis_id IS NOT DISTINCT FROM $4
                          ORDER BY created_at DESC, id DESC LIMIT $5)`,
      [report.subject.kind, runId, sweepId, analysisId, report.keep],
    );
    return rows[0] as ReportItemRow;
  });
};

/** Which reports to list (all of them, newest first, when no subject is given). */
export interface ReportFilter {
  readonly runId?: string;
  readonly sweepId?: string;
  readonly analysisId?: number;
  readonly limit: number;
}

/** Reports, newest first, without their files. */
export const listReports = async (db: Queryable, filter: ReportFilter): Promise<ReportItemRow[]> =>
  (
    await db.query<ReportItemRow>(
      `SELECT ${ITEM_COLUMNS} FROM nf_reports
        WHERE ($1::uuid IS NULL OR run_id = $1::uuid) AND ($2::uuid IS NULL OR sweep_id = $2::uuid)
          AND ($3::bigint IS NULL OR analysis_id = $3::bigint)
        ORDER BY created_at DESC, id DESC
        LIMIT $4`,
      [filter.runId ?? null, filter.sweepId ?? null, filter.analysisId ?? null, filter.limit],
    )
  ).rows;

/** One report with its file, or undefined when there is none with this id. */
export const findReportFile = async (db: Queryable, id: number): Promise<ReportFileRow | undefined> => {
  const { rows } = await db.query<ReportItemRow & { html: string | null; content: Uint8Array | null }>(
    `SELECT ${ITEM_COLUMNS}, html, content FROM nf_reports WHERE id = $1`,
    [id],
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  const { html, content, ...item } = row;
  const body = content !== null ? new Uint8Array(content) : new TextEncoder().encode(html ?? '');
  return { ...item, body };
};
