/**
 * MLflow's artifact proxy (`/api/2.0/mlflow-artifacts/artifacts`): the MLflow client uploads,
 * lists and downloads a run's files here when the experiment's artifact location is
 * `mlflow-artifacts:/…`, which is what the lab gives every experiment. Files live under the lab's
 * artifact folder (`mlflow/`), path traversal refused; every upload is audited.
 */
import type { FastifyPluginAsync } from 'fastify';
import { MLFLOW_ARTIFACT_ROUTES as ROUTE } from '@nflab/contracts';
import { attachmentHeader } from '../artifact-files.js';
import { audit } from '../audit/record.js';
import {
  artifactContentType,
  listArtifacts,
  mlflowArtifactFolder,
  openArtifactFile,
  writeArtifact,
} from '../mlflow/artifact-store.js';
import { mlflowErrorHandler } from '../mlflow/error-reply.js';
import { messageOf, optionalString } from '../mlflow/fields.js';
import { attach } from './attach.js';

const wildcardOf = (params: unknown): string => (params as { '*'?: string })['*'] ?? '';

/** The artifact proxy routes, with MLflow's error bodies. */
export const mlflowArtifactRoutes: FastifyPluginAsync = async (app) => {
  app.setErrorHandler(mlflowErrorHandler);
  // Uploads are files of any type and size, streamed to disk by the handler: no body parser reads
  // them into memory (in this plugin's scope only).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));
  const root = mlflowArtifactFolder(app.lab.artifactRoot);

  attach(app, ROUTE.mlflowListArtifacts, async (_values, request) => {
    const files = await listArtifacts(root, optionalString(messageOf(request), 'path') ?? '');
    return files.length > 0 ? { files } : {};
  });

  attach(app, ROUTE.mlflowDownloadArtifact, async (_values, request, reply) => {
    const file = await openArtifactFile(root, wildcardOf(request.params));
    return reply
      .type(artifactContentType(file.name))
      .header('content-length', String(file.bytes))
      .header('content-disposition', attachmentHeader(file.name))
      .send(file.stream);
  });

  attach(app, ROUTE.mlflowUploadArtifact, async (_values, request) => {
    const path = wildcardOf(request.params);
    const bytes = await writeArtifact(root, path, request.raw);
    await audit(request, {
      action: 'artifact.upload',
      entity: 'artifact',
      entityId: path,
      details: { bytes, api: 'mlflow' },
    });
    return {};
  });
};
