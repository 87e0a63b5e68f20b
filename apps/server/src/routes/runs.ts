import type { FastifyPluginAsync } from 'fastify';
import {
  artifactParamsSchema,
  listRunsQuerySchema,
  parseInput,
  predictionsQuerySchema,
  resourcesQuerySchema,
  runParamsSchema,
  stepMetricsQuerySchema,
} from '@nflab/contracts';
import { openArtifact } from '../artifact-files.js';
import { audit } from '../audit/record.js';
import {
  getArtifact,
  getRun,
  listArtifacts,
  listCvResults,
  listPredictions,
  listResourceSamples,
  listRuns,
  listStepMetrics,
  listTrials,
  requireRun,
} from '@nflab/store';

/** Run history, run detail and everything a run owns (read-only; viewer role). */
export const runRoutes: FastifyPluginAsync = async (app) => {
  const viewer = { config: { access: 'viewer' as const } };

  app.get('/runs', viewer, async (request) =>
    listRuns(app.db, parseInput(listRunsQuerySchema, request.query, 'query')),
  );

  app.get('/runs/:id', viewer, async (request) =>
    getRun(app.db, parseInput(runParamsSchema, request.params, 'path').id),
  );

  app.get('/runs/:id/trials', viewer, async (request) => {
    const { id } = parseInput(runParamsSchema, request.params, 'path');
    await requireRun(app.db, id);
    return listTrials(app.db, id);
  });

  app.get('/runs/:id/step-metrics', viewer, async (request) => {
    const { id } = parseInput(runParamsSchema, request.params, 'path');
    const query = parseInput(stepMetricsQuerySchema, request.query, 'query');
    await requireRun(app.db, id);
    return listStepMetrics(app.db, id, {
      afterId: query.after_id,
      limit: query.limit,
      trialId: query.trial_id,
    });
  });

  app.get('/runs/:id/resources', viewer, async (request) => {
    const { id } = parseInput(runParamsSchema, request.params, 'path');
    const query = parseInput(resourcesQuerySchema, request.query, 'query');
    await requireRun(app.db, id);
    return listResourceSamples(app.db, id, { afterId: query.after_id, limit: query.limit });
  });

  app.get('/runs/:id/predictions', viewer, async (request) => {
    const { id } = parseInput(runParamsSchema, request.params, 'path');
    const { kind } = parseInput(predictionsQuerySchema, request.query, 'query');
    await requireRun(app.db, id);
    return listPredictions(app.db, id, kind);
  });

  app.get('/runs/:id/cv', viewer, async (request) => {
    const { id } = parseInput(runParamsSchema, request.params, 'path');
    await requireRun(app.db, id);
    return listCvResults(app.db, id);
  });

  app.get('/runs/:id/artifacts', viewer, async (request) => {
    const { id } = parseInput(runParamsSchema, request.params, 'path');
    await requireRun(app.db, id);
    return listArtifacts(app.db, id);
  });

  app.get('/runs/:id/artifacts/:artifactId/download', viewer, async (request, reply) => {
    const { id, artifactId } = parseInput(artifactParamsSchema, request.params, 'path');
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
