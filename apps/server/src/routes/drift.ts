import type { FastifyPluginAsync } from 'fastify';
import { DRIFT_ROUTES as ROUTE, type TableDriftChecksDto } from '@nflab/contracts';
import { checkTableDrift } from '@nflab/runner';
import { latestTableDriftChecks, requirePanelTable, type DriftMetricRow } from '@nflab/store';
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
 * A data table's drift checks. A check reads the table through the data connection and scope, as
 * the data routes do (so the read-only data role bounds it), is computed in the request — its size
 * bounded by TABLE_DRIFT_LIMITS — and is stored and audited as `data.drift_check`.
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
};
