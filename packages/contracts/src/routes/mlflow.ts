/**
 * MLflow's REST API as the lab serves it (under `/api`: `/api/2.0/mlflow/...` and the artifact proxy
 * `/api/2.0/mlflow-artifacts/...`), so MLflow clients log into the lab with
 * `MLFLOW_TRACKING_URI=<lab>` and `MLFLOW_TRACKING_TOKEN=<lab API token>`. Requests and answers are
 * MLflow's messages (documented by MLflow, read by the server in MLflow's own terms, errors as
 * `{ error_code, message }`), so these descriptions carry no schemas and stay out of the lab's
 * OpenAPI document and web client. Reading needs the viewer role, writing the editor role.
 */
import { defineRoute, type RouteAccess, type RouteMethod } from './define.js';

const mlflow = <
  const Method extends RouteMethod,
  const Path extends string,
  const Access extends RouteAccess,
>(
  method: Method,
  path: Path,
  access: Access,
  summary: string,
) => defineRoute({ method, path: `/2.0/mlflow/${path}` as `/2.0/mlflow/${Path}`, access, summary });

/** The MLflow tracking API routes. */
export const MLFLOW_TRACKING_ROUTES = {
  mlflowGetExperimentByName: mlflow(
    'GET',
    'experiments/get-by-name',
    'viewer',
    'MLflow: an experiment by name',
  ),
  mlflowGetExperiment: mlflow('GET', 'experiments/get', 'viewer', 'MLflow: an experiment by id'),
  mlflowCreateExperiment: mlflow('POST', 'experiments/create', 'editor', 'MLflow: create an experiment'),
  mlflowSearchExperiments: mlflow('POST', 'experiments/search', 'viewer', 'MLflow: search experiments'),
  mlflowUpdateExperiment: mlflow('POST', 'experiments/update', 'editor', 'MLflow: rename an experiment'),
  mlflowDeleteExperiment: mlflow('POST', 'experiments/delete', 'editor', 'MLflow: delete an experiment'),
  mlflowRestoreExperiment: mlflow('POST', 'experiments/restore', 'editor', 'MLflow: restore an experiment'),
  mlflowSetExperimentTag: mlflow(
    'POST',
    'experiments/set-experiment-tag',
    'editor',
    'MLflow: tag an experiment',
  ),
  mlflowCreateRun: mlflow('POST', 'runs/create', 'editor', 'MLflow: create an external run'),
  mlflowGetRun: mlflow('GET', 'runs/get', 'viewer', 'MLflow: a run with its params, latest metrics and tags'),
  mlflowUpdateRun: mlflow('POST', 'runs/update', 'editor', "MLflow: set a run's status, end time or name"),
  mlflowDeleteRun: mlflow('POST', 'runs/delete', 'editor', 'MLflow: delete a run (restorable)'),
  mlflowRestoreRun: mlflow('POST', 'runs/restore', 'editor', 'MLflow: restore a deleted run'),
  mlflowLogParameter: mlflow('POST', 'runs/log-parameter', 'editor', 'MLflow: log one param'),
  mlflowLogMetric: mlflow('POST', 'runs/log-metric', 'editor', 'MLflow: log one metric point'),
  mlflowSetTag: mlflow('POST', 'runs/set-tag', 'editor', 'MLflow: set one run tag'),
  mlflowDeleteTag: mlflow('POST', 'runs/delete-tag', 'editor', 'MLflow: delete one run tag'),
  mlflowLogInputs: mlflow(
    'POST',
    'runs/log-inputs',
    'editor',
    "MLflow: log the datasets a run read (name, digest, source, schema, profile) within MLflow's limits",
  ),
  mlflowLogBatch: mlflow(
    'POST',
    'runs/log-batch',
    'editor',
    "MLflow: log metrics, params and tags within MLflow's limits",
  ),
  mlflowSearchRuns: mlflow(
    'POST',
    'runs/search',
    'viewer',
    "MLflow: search runs with MLflow's filter and order_by",
  ),
  mlflowMetricHistory: mlflow(
    'GET',
    'metrics/get-history',
    'viewer',
    "MLflow: every point of one run's metric",
  ),
} as const;

/**
 * MLflow's model registry over the lab's registry (the same versions, stages and aliases the lab's
 * `/api/registry` routes serve), and MLflow 3's logged models. Moving a version into or out of
 * Production needs the admin role, checked by the handler as for the lab's promote.
 */
export const MLFLOW_REGISTRY_ROUTES = {
  mlflowCreateRegisteredModel: mlflow(
    'POST',
    'registered-models/create',
    'editor',
    'MLflow: create a registered model',
  ),
  mlflowGetRegisteredModel: mlflow(
    'GET',
    'registered-models/get',
    'viewer',
    'MLflow: a registered model with its latest versions and aliases',
  ),
  mlflowUpdateRegisteredModel: mlflow(
    'PATCH',
    'registered-models/update',
    'editor',
    "MLflow: set a registered model's description",
  ),
  mlflowRenameRegisteredModel: mlflow(
    'POST',
    'registered-models/rename',
    'editor',
    'MLflow: rename a registered model (its versions follow)',
  ),
  mlflowDeleteRegisteredModel: mlflow(
    'DELETE',
    'registered-models/delete',
    'editor',
    'MLflow: delete a registered model and its versions (one in Production: admin)',
  ),
  mlflowSearchRegisteredModels: mlflow(
    'GET',
    'registered-models/search',
    'viewer',
    'MLflow: search registered models by name and tags',
  ),
  mlflowGetLatestVersions: mlflow(
    'POST',
    'registered-models/get-latest-versions',
    'viewer',
    'MLflow: the newest version at each stage',
  ),
  mlflowGetLatestVersionsGet: mlflow(
    'GET',
    'registered-models/get-latest-versions',
    'viewer',
    'MLflow: the newest version at each stage',
  ),
  mlflowSetRegisteredModelTag: mlflow(
    'POST',
    'registered-models/set-tag',
    'editor',
    'MLflow: tag a registered model',
  ),
  mlflowDeleteRegisteredModelTag: mlflow(
    'DELETE',
    'registered-models/delete-tag',
    'editor',
    "MLflow: delete a registered model's tag",
  ),
  mlflowSetAlias: mlflow('POST', 'registered-models/alias', 'editor', 'MLflow: point an alias at a version'),
  mlflowDeleteAlias: mlflow('DELETE', 'registered-models/alias', 'editor', 'MLflow: delete an alias'),
  mlflowGetVersionByAlias: mlflow(
    'GET',
    'registered-models/alias',
    'viewer',
    'MLflow: the version an alias points at',
  ),
  mlflowCreateModelVersion: mlflow(
    'POST',
    'model-versions/create',
    'editor',
    'MLflow: register a new version',
  ),
  mlflowGetModelVersion: mlflow('GET', 'model-versions/get', 'viewer', 'MLflow: one model version'),
  mlflowUpdateModelVersion: mlflow(
    'PATCH',
    'model-versions/update',
    'editor',
    "MLflow: set a version's description",
  ),
  mlflowDeleteModelVersion: mlflow(
    'DELETE',
    'model-versions/delete',
    'editor',
    'MLflow: delete a version (in Production: admin)',
  ),
  mlflowSearchModelVersions: mlflow(
    'GET',
    'model-versions/search',
    'viewer',
    'MLflow: search versions by name, run, source and tags',
  ),
  mlflowTransitionStage: mlflow(
    'POST',
    'model-versions/transition-stage',
    'editor',
    'MLflow: move a version to a stage (Production: admin)',
  ),
  mlflowSetModelVersionTag: mlflow('POST', 'model-versions/set-tag', 'editor', 'MLflow: tag a version'),
  mlflowDeleteModelVersionTag: mlflow(
    'DELETE',
    'model-versions/delete-tag',
    'editor',
    "MLflow: delete a version's tag",
  ),
  mlflowGetDownloadUri: mlflow(
    'GET',
    'model-versions/get-download-uri',
    'viewer',
    "MLflow: where a version's files are",
  ),
  mlflowCreateLoggedModel: mlflow('POST', 'logged-models', 'editor', 'MLflow: create a logged model'),
  mlflowSearchLoggedModels: mlflow('POST', 'logged-models/search', 'viewer', 'MLflow: search logged models'),
  mlflowGetLoggedModel: mlflow('GET', 'logged-models/:model_id', 'viewer', 'MLflow: one logged model'),
  mlflowFinalizeLoggedModel: mlflow(
    'PATCH',
    'logged-models/:model_id',
    'editor',
    "MLflow: set a logged model's status",
  ),
  mlflowDeleteLoggedModel: mlflow(
    'DELETE',
    'logged-models/:model_id',
    'editor',
    'MLflow: delete a logged model',
  ),
  mlflowSetLoggedModelTags: mlflow(
    'PATCH',
    'logged-models/:model_id/tags',
    'editor',
    'MLflow: tag a logged model',
  ),
  mlflowDeleteLoggedModelTag: mlflow(
    'DELETE',
    'logged-models/:model_id/tags/:tag_key',
    'editor',
    "MLflow: delete a logged model's tag",
  ),
  mlflowLogOutputs: mlflow('POST', 'runs/outputs', 'editor', "MLflow: record a run's model outputs"),
} as const;

/** The MLflow artifact proxy routes (`mlflow-artifacts:/` URIs): list, download, upload. */
export const MLFLOW_ARTIFACT_ROUTES = {
  mlflowListArtifacts: defineRoute({
    method: 'GET',
    path: '/2.0/mlflow-artifacts/artifacts',
    access: 'viewer',
    summary: 'MLflow: list the artifacts under a path',
  }),
  mlflowDownloadArtifact: defineRoute({
    method: 'GET',
    path: '/2.0/mlflow-artifacts/artifacts/*',
    access: 'viewer',
    summary: 'MLflow: download one artifact file',
  }),
  mlflowUploadArtifact: defineRoute({
    method: 'PUT',
    path: '/2.0/mlflow-artifacts/artifacts/*',
    access: 'editor',
    summary: 'MLflow: upload one artifact file',
  }),
} as const;

/** Every MLflow route, by name; paths are under `/api` like the lab's own routes. */
export const MLFLOW_ROUTES = {
  ...MLFLOW_TRACKING_ROUTES,
  ...MLFLOW_REGISTRY_ROUTES,
  ...MLFLOW_ARTIFACT_ROUTES,
} as const;
