import type { FastifyPluginAsync } from 'fastify';
import { RUN_EXPORT_ROUTES as ROUTE } from '@nflab/contracts';
import { listRunExports, requireRun, retryRunExports } from '@nflab/store';
import { audit } from '../audit/record.js';
import { attach } from './attach.js';

/**
 * A run's exports to external trackers (the nf_run_exports outbox the run's end fills): listed for
 * viewers with the tracker's run page; made due again by editors (audited `run.export_retry`) —
 * the server's exporter, or any process with the tracker's credentials, sends them next.
 */
export const runExportRoutes: FastifyPluginAsync = async (app) => {
  attach(app, ROUTE.listRunExports, async ({ params }) => {
    await requireRun(app.db, params.id);
    const rows = await listRunExports(app.db, params.id);
    return {
      exports: rows.map((row) => ({
        sink: row.sink,
        status: row.status,
        attempts: row.attempts,
        next_attempt_at: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
        last_error: row.last_error,
        external_id: row.external_id,
        external_url: row.external_url,
        options: row.options,
        exported_at: row.exported_at?.toISOString() ?? null,
      })),
    };
  });

  attach(app, ROUTE.retryRunExports, async ({ params }, request) => {
    await requireRun(app.db, params.id);
    const retried = await retryRunExports(app.db, params.id);
    await audit(request, {
      action: 'run.export_retry',
      entity: 'run',
      entityId: params.id,
      details: { retried },
    });
    return { retried };
  });
};
