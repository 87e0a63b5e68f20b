/**
 * Makes a report and archives it: load (load.ts), render (one renderer per kind), convert to PDF
 * when asked (pdf.ts), hash, store in nf_reports. Used by the API routes and `nflab report`.
 */
import { createHash } from 'node:crypto';
import { ConfigError, REPORTS_KEPT_PER_SUBJECT, type ReportFormat } from '@nflab/contracts';
import { insertReport, type Db, type ReportItemRow, type ReportSubject } from '@nflab/store';
import { renderCompareReport } from './compare-report.js';
import { loadCompareReport, loadRunReport, loadSweepReport, type LeaderboardSettings } from './load.js';
import type { PdfRenderer } from './pdf.js';
import { renderRunReport } from './run-report.js';
import { renderSweepReport } from './sweep-report.js';

/** Largest report file archived, by format (a PDF embeds fonts and grows faster than its HTML). */
export const REPORT_MAX_BYTES = { html: 8 * 1024 * 1024, pdf: 32 * 1024 * 1024 } as const;

/** What to report on. */
export type ReportTarget =
  | { readonly kind: 'run'; readonly runId: string }
  | { readonly kind: 'sweep'; readonly sweepId: string; readonly settings: LeaderboardSettings }
  | { readonly kind: 'compare'; readonly analysisId: number };

/** A rendered report page and what it is about. */
export interface RenderedReport {
  readonly subject: ReportSubject;
  readonly title: string;
  readonly html: string;
  readonly params: Readonly<Record<string, unknown>>;
}

const titleOf = (html: string): string => /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? 'report';

/** Loads and renders the target's report page (no archive). */
export const renderReport = async (db: Db, target: ReportTarget): Promise<RenderedReport> => {
  if (target.kind === 'run') {
    const html = renderRunReport(await loadRunReport(db, target.runId));
    return { subject: target, title: titleOf(html), html, params: {} };
  }
  if (target.kind === 'sweep') {
    const html = renderSweepReport(await loadSweepReport(db, target.sweepId, target.settings));
    return { subject: target, title: titleOf(html), html, params: { ...target.settings } };
  }
  const data = await loadCompareReport(db, target.analysisId);
  const html = renderCompareReport(data);
  return {
    subject: { kind: 'compare', analysisId: target.analysisId, runIds: data.runIds },
    title: titleOf(html),
    html,
    params: {},
  };
};

/** The file of a rendered report in `format`. */
export const reportFile = async (
  rendered: RenderedReport,
  format: ReportFormat,
  pdf: PdfRenderer,
): Promise<Uint8Array> => {
  const body = format === 'pdf' ? await pdf.pdf(rendered.html) : new TextEncoder().encode(rendered.html);
  if (body.byteLength > REPORT_MAX_BYTES[format])
    throw new ConfigError(
      `the ${format} report is ${body.byteLength} bytes, over the ${REPORT_MAX_BYTES[format]} a report may be`,
    );
  return body;
};

/** Options of {@link makeReport}. */
export interface MakeReportOptions {
  readonly format: ReportFormat;
  readonly pdf: PdfRenderer;
  readonly createdBy: string | null;
}

/** Renders, converts, hashes and archives the target's report. */
export const makeReport = async (
  db: Db,
  target: ReportTarget,
  options: MakeReportOptions,
): Promise<ReportItemRow> => {
  const rendered = await renderReport(db, target);
  const body = await reportFile(rendered, options.format, options.pdf);
  // The title is the page's, escaped for HTML; stored as people read it.
  const title = rendered.title.replace(/&(amp|lt|gt|quot|#39|#96);/g, (entity) => DECODE[entity] ?? entity);
  return insertReport(db, {
    subject: rendered.subject,
    title,
    format: options.format,
    body,
    sha256: createHash('sha256').update(body).digest('hex'),
    params: rendered.params,
    createdBy: options.createdBy,
    keep: REPORTS_KEPT_PER_SUBJECT,
  });
};

const DECODE: Readonly<Record<string, string>> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&#96;': '`',
};

/** How a report downloads: its content type and a safe file name. */
export const reportDownload = (row: Pick<ReportItemRow, 'id' | 'kind' | 'format'>) => ({
  contentType: row.format === 'pdf' ? 'application/pdf' : 'text/html; charset=utf-8',
  fileName: `nflab-${row.kind}-report-${row.id}.${row.format}`,
});
