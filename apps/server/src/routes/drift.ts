import type { FastifyPluginAsync } from 'fastify';
import { DRIFT_ROUTES as ROUTE, type TableDriftChecksDto } from '@nflab/contracts';
import { checkTableDrift, detectRunAnomalies } from '@nflab/runner';
import {
  latestTableDriftChecks,
  listResidualAnomalies,
  requirePanelTable,
  requireRun,
  type DriftMetricRow,
} from '@nflab/store';
import { audit } from '../audit/record.js';
import { attach } from './attach.js';

type StoredCheck = TableDriftChecksDto['checks'][number];

/** Stored rows (ordered by table, game, then row) grouped into one entry per check. */
const groupChecks = (rows: readonly DriftMetricRow[]): StoredCheck[] => {
  const checks = new Map<string, StoredCheck & { metrics: StoredCheck['metrics'][number][] }>();
  for (const row of rows) {
    const id = row.check_id ?? '';
    let check = checks.get(id);
    if (check === undefined) {
      check = {
        check_id: id,
        table: row.table_name ?? '',
        loto: row.loto ?? '',
        at: row.at.toISOString(),
        reference: { from: row.reference_start ?? '', to: row.reference_end ?? '' },
        current: { from: row.window_start ?? '', to: row.window_end ?? '' },
        drifted: 0,
        metrics: [],
      };
      checks.set(id, check);
    }
    if (row.drifted === true) check.drifted += 1;
    check.metrics.push({
      unique_id: row.unique_id,
      feature: row.feature,
      metric: row.metric,
      value: row.value,
      p_value: row.p_value,
      threshold: row.threshold,
      drifted: row.drifted,
      details: row.details as Record<string, unknown>,
    });
  }
  return [...checks.values()];
};

/**
 * A data table's drift checks and a run's residual anomalies. A check reads the table through the data connection and scope, as
 * the data routes do (so the read-only data role bounds it), is computed in the request — its size
 * bounded by TABLE_DRIFT_LIMITS — and is stored and audited as `data.drift_check`. A detection
 * reads one finished run's evaluated points (at most RUN_ANOMALY_LIMITS.maxPoints), replaces its
 * method's stored anomalies and is audited as `run.anomalies`.
 */
export const driftRoutes: FastifyPluginAsync = async (app) => {
  attach(app, ROUTE.tableDriftCheck, async ({ params, body }, request) => {
    const { thresholds } = body;
    const summary = await checkTableDrift({
      db: { lab: app.db, data: app.dataDb, scope: app.lab.dataScope },
      table: params.table,
      loto: body.loto,
      reference: body.reference,
      current: body.current,
      ...(body.unique_ids === undefined ? {} : { uniqueIds: body.unique_ids }),
      ...(body.columns === undefined ? {} : { columns: body.columns }),
      thresholds: {
        ...(thresholds?.p_value === undefined ? {} : { pValue: thresholds.p_value }),
        ...(thresholds?.psi === undefined ? {} : { psi: thresholds.psi }),
        ...(thresholds?.p_adjust === undefined ? {} : { pAdjust: thresholds.p_adjust }),
      },
    });
    await audit(request, {
      action: 'data.drift_check',
      entity: 'table',
      entityId: params.table,
      details: { loto: body.loto, check_id: summary.checkId, drifted: summary.drifted.length },
    });
    return summary;
  });

  // The table must still be a data table in the server's scope: stored checks of other tables
  // (a CLI run with another scope) are not served.
  attach(app, ROUTE.tableDriftChecks, async ({ params, query }) => {
    await requirePanelTable(app.dataDb, params.table, ['loto'], app.lab.dataScope);
    const rows = await latestTableDriftChecks(app.db, {
      table: params.table,
      ...(query.loto === undefined ? {} : { loto: query.loto }),
    });
    return { checks: groupChecks(rows) };
  });

  attach(app, ROUTE.runAnomalies, async ({ params, body }, request) => {
    const { method, ...options } = body;
    const result = await detectRunAnomalies({ db: app.db, runId: params.id, method, options });
    await audit(request, {
      action: 'run.anomalies',
      entity: 'run',
      entityId: params.id,
      details: { method, reference: body.reference, flagged: result.anomalies.length },
    });
    return result;
  });

  attach(app, ROUTE.runAnomalyList, async ({ params, query }) => {
    await requireRun(app.db, params.id);
    const rows = await listResidualAnomalies(app.db, params.id, query.method);
    return {
      items: rows.map((row) => ({
        unique_id: row.unique_id,
        ds: row.ds,
        model: row.model,
        residual: row.residual,
        score: row.score,
        method: row.method,
        threshold: row.threshold,
        created_at: row.created_at.toISOString(),
      })),
    };
  });
};
