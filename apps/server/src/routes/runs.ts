import type { FastifyPluginAsync } from 'fastify';
import { RUN_ROUTES } from '@nflab/contracts';
import { openArtifact } from '../artifact-files.js';
import { audit } from '../audit/record.js';
import {
  getArtifact,
  getModelInterpretation,
  getRun,
  getRunDataVersion,
  listArtifacts,
  listCvResults,
  listFeatureImportance,
  listPredictions,
  listResourceSamples,
  listRunTags,
  listRuns,
  listStepMetrics,
  listTrials,
  requireRun,
} from '@nflab/store';
import { runDashboardUrl } from '../grafana-link.js';
import { attach } from './attach.js';

/** Run history, run detail and everything a run owns (read-only; viewer role). */
export const runRoutes: FastifyPluginAsync = async (app) => {
  attach(app, RUN_ROUTES.listRuns, async ({ query }) => listRuns(app.db, query));

  attach(app, RUN_ROUTES.getRun, async ({ params }) => {
    const run = await getRun(app.db, params.id);
    const grafana = app.lab.grafanaUrl;
    const tags = await listRunTags(app.db, run.id);
    const version = await getRunDataVersion(app.db, run.id);
    const interpretation = await getModelInterpretation(app.db, run.id);
    return {
      ...run,
      grafana_url: grafana === undefined ? null : runDashboardUrl(grafana, run),
      tags,
      ...version,
      interpretation:
        interpretation === null
          ? null
          : { model: interpretation.model, windows: interpretation.windows, ...interpretation.weights },
    };
  });

  attach(app, RUN_ROUTES.listTrials, async ({ params }) => {
    const { id } = params;
    await requireRun(app.db, id);
    return listTrials(app.db, id);
  });

  attach(app, RUN_ROUTES.listStepMetrics, async ({ params, query }) => {
    const { id } = params;
    await requireRun(app.db, id);
    return listStepMetrics(app.db, id, {
      afterId: query.after_id,
      limit: query.limit,
      trialId: query.trial_id,
    });
  });

  attach(app, RUN_ROUTES.listResources, async ({ params, query }) => {
    const { id } = params;
    await requireRun(app.db, id);
    return listResourceSamples(app.db, id, { afterId: query.after_id, limit: query.limit });
  });

  attach(app, RUN_ROUTES.listPredictions, async ({ params, query }) => {
    const { id } = params;
    const { kind } = query;
    await requireRun(app.db, id);
    return listPredictions(app.db, id, kind);
  });

  attach(app, RUN_ROUTES.listCv, async ({ params }) => {
    const { id } = params;
    await requireRun(app.db, id);
    return listCvResults(app.db, id);
  });

  attach(app, RUN_ROUTES.listImportance, async ({ params }) => {
    const { id } = params;
    await requireRun(app.db, id);
    const rows = await listFeatureImportance(app.db, id);
    return { items: rows.map(({ id: _rowId, run_id: _runId, ...row }) => row) };
  });

  attach(app, RUN_ROUTES.listArtifacts, async ({ params }) => {
    const { id } = params;
    await requireRun(app.db, id);
    return listArtifacts(app.db, id);
  });

  attach(app, RUN_ROUTES.downloadArtifact, async ({ params }, request, reply) => {
    const { id, artifactId } = params;
    const artifact = await getArtifact(app.db, id, artifactId);
    const file = await openArtifact(app.lab.artifactRoot, artifact.path);
    await audit(request, {
      action: 'artifact.download',
      entity: 'artifact',
      entityId: String(artifactId),
      details: { run_id: id, path: artifact.path },
    });
    return reply
      .type('application/octet-stream')
      .header('content-length', String(file.bytes))
      .header('content-disposition', file.contentDisposition)
      .send(file.stream);
  });
};
