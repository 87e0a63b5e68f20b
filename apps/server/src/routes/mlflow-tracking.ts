/**
 * MLflow's tracking API (`/api/2.0/mlflow/...`): experiments, runs, params, metrics, tags,
 * log-batch, runs/search and metric history, answered in MLflow's JSON so MLflow clients log into
 * the lab (bearer token = MLFLOW_TRACKING_TOKEN, a lab API token). Lab runs appear read-only in
 * experiment 0; runs MLflow clients create are stored as external lab runs (see the store's
 * mlflow-views.ts for the mapping). Creating, deleting and restoring experiments and runs is
 * audited; logging is not (it is the run's data, and would flood the log).
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { MLFLOW_TRACKING_ROUTES as ROUTE } from '@nflab/contracts';
import {
  MLFLOW_RUN_STATUSES,
  createMlflowExperiment,
  createMlflowRun,
  deleteMlflowRunTag,
  getMlflowExperiment,
  getMlflowExperimentByName,
  getMlflowRun,
  invalidParameter,
  logMlflowBatch,
  logMlflowModelMetrics,
  logMlflowRunInputs,
  mlflowRunInputs,
  mlflowRunOutputs,
  mlflowMetricHistory,
  renameMlflowExperiment,
  searchMlflowExperiments,
  searchMlflowRuns,
  setMlflowExperimentStage,
  setMlflowExperimentTag,
  setMlflowRunStage,
  updateMlflowRun,
  type MlflowRunStatus,
} from '@nflab/store';
import { audit } from '../audit/record.js';
import { mlflowErrorHandler } from '../mlflow/error-reply.js';
import {
  keyValueList,
  maxResultsOf,
  messageList,
  messageOf,
  metricList,
  modelMetricsOf,
  metricOf,
  nextPageToken,
  offsetOf,
  optionalInt,
  optionalString,
  requiredString,
  runIdOf,
  stringList,
  viewTypeOf,
  type MlflowMessage,
} from '../mlflow/fields.js';
import { attach } from './attach.js';

/** MLflow's caps on page sizes. */
export const MLFLOW_MAX_RESULTS = { runs: 50_000, experiments: 50_000, metricHistory: 25_000 } as const;

const statusOf = (value: string | undefined): MlflowRunStatus | undefined => {
  if (value === undefined) return undefined;
  if (!(MLFLOW_RUN_STATUSES as readonly string[]).includes(value))
    throw invalidParameter(
      `Invalid value "${value}" for parameter 'status' supplied: expected one of ${MLFLOW_RUN_STATUSES.join(', ')}.`,
    );
  return value as MlflowRunStatus;
};

/** The tracking routes, with MLflow's error bodies. */
export const mlflowTrackingRoutes: FastifyPluginAsync = async (app) => {
  app.setErrorHandler(mlflowErrorHandler);
  const inTransaction = <T>(fn: Parameters<typeof app.db.transaction<T>>[0]): Promise<T> =>
    app.db.transaction(fn);
  const auditRun = (
    request: FastifyRequest,
    action: 'run.create' | 'run.delete' | 'run.restore',
    runId: string,
  ) => audit(request, { action, entity: 'run', entityId: runId, details: { api: 'mlflow' } });
  const auditExperiment = (
    request: FastifyRequest,
    action: 'experiment.create' | 'experiment.delete' | 'experiment.restore',
    id: string,
  ) => audit(request, { action, entity: 'experiment', entityId: id, details: { api: 'mlflow' } });

  attach(app, ROUTE.mlflowGetExperimentByName, async (_values, request) => ({
    experiment: await getMlflowExperimentByName(
      app.db,
      requiredString(messageOf(request), 'experiment_name'),
    ),
  }));

  attach(app, ROUTE.mlflowGetExperiment, async (_values, request) => ({
    experiment: await getMlflowExperiment(app.db, requiredString(messageOf(request), 'experiment_id')),
  }));

  attach(app, ROUTE.mlflowCreateExperiment, async (_values, request) => {
    const message = messageOf(request);
    const artifactLocation = optionalString(message, 'artifact_location');
    if (artifactLocation !== undefined && artifactLocation !== '')
      // The lab serves artifacts from its own folder only: a client-chosen location would be a path
      // on the server's disk or another store the lab cannot guard.
      throw invalidParameter(
        `artifact_location ${JSON.stringify(artifactLocation)}: the lab keeps experiments' artifacts itself (mlflow-artifacts:/<id>); leave it unset`,
      );
    const experimentId = await inTransaction((tx) =>
      createMlflowExperiment(tx, {
        name: requiredString(message, 'name'),
        tags: keyValueList(message, 'tags'),
      }),
    );
    await auditExperiment(request, 'experiment.create', experimentId);
    return { experiment_id: experimentId };
  });

  attach(app, ROUTE.mlflowSearchExperiments, async (_values, request) => {
    const message = messageOf(request);
    const filter = optionalString(message, 'filter');
    if (filter !== undefined && filter.trim() !== '')
      throw invalidParameter(
        'experiments/search: filter is not supported by the lab yet; search without one',
      );
    const { experiments, nextOffset } = await searchMlflowExperiments(app.db, {
      view: viewTypeOf(message, 'view_type'),
      maxResults: maxResultsOf(message, 1000, MLFLOW_MAX_RESULTS.experiments),
      offset: offsetOf(message),
    });
    return { ...(experiments.length > 0 ? { experiments } : {}), ...nextPageToken(nextOffset) };
  });

  attach(app, ROUTE.mlflowUpdateExperiment, async (_values, request) => {
    const message = messageOf(request);
    await renameMlflowExperiment(
      app.db,
      requiredString(message, 'experiment_id'),
      requiredString(message, 'new_name'),
    );
    return {};
  });

  attach(app, ROUTE.mlflowDeleteExperiment, async (_values, request) => {
    const id = requiredString(messageOf(request), 'experiment_id');
    await setMlflowExperimentStage(app.db, id, 'deleted');
    await auditExperiment(request, 'experiment.delete', id);
    return {};
  });

  attach(app, ROUTE.mlflowRestoreExperiment, async (_values, request) => {
    const id = requiredString(messageOf(request), 'experiment_id');
    await setMlflowExperimentStage(app.db, id, 'active');
    await auditExperiment(request, 'experiment.restore', id);
    return {};
  });

  attach(app, ROUTE.mlflowSetExperimentTag, async (_values, request) => {
    const message = messageOf(request);
    await setMlflowExperimentTag(app.db, requiredString(message, 'experiment_id'), {
      key: requiredString(message, 'key'),
      value: optionalString(message, 'value') ?? '',
    });
    return {};
  });

  attach(app, ROUTE.mlflowCreateRun, async (_values, request) => {
    const message = messageOf(request);
    const runName = optionalString(message, 'run_name');
    const startTime = optionalInt(message, 'start_time');
    const run = await inTransaction((tx) =>
      createMlflowRun(tx, {
        // MLflow puts a run without an experiment in the Default experiment.
        experimentId: optionalString(message, 'experiment_id') ?? '0',
        userId: optionalString(message, 'user_id') ?? request.user?.username ?? '',
        ...(runName === undefined || runName === '' ? {} : { runName }),
        ...(startTime === undefined ? {} : { startTime }),
        tags: keyValueList(message, 'tags'),
      }),
    );
    await auditRun(request, 'run.create', run.info.run_id);
    return { run };
  });

  attach(app, ROUTE.mlflowGetRun, async (_values, request) => {
    const run = await getMlflowRun(app.db, runIdOf(messageOf(request)));
    const [inputs, outputs] = await Promise.all([
      mlflowRunInputs(app.db, [run.info.run_id]),
      mlflowRunOutputs(app.db, [run.info.run_id]),
    ]);
    const id = run.info.run_id;
    return { run: { ...run, inputs: inputs.get(id) ?? {}, outputs: outputs.get(id) ?? {} } };
  });

  attach(app, ROUTE.mlflowLogInputs, async (_values, request) => {
    const message = messageOf(request);
    const datasets = message.datasets ?? [];
    if (!Array.isArray(datasets) || !datasets.every((item) => item !== null && typeof item === 'object'))
      throw invalidParameter(
        "Invalid value for parameter 'datasets' supplied: expected a list of { dataset: { name, digest, source_type, source }, tags }.",
      );
    const inputs = (datasets as MlflowMessage[]).map((item) => {
      const dataset = item.dataset;
      if (dataset === null || typeof dataset !== 'object' || Array.isArray(dataset))
        throw invalidParameter("Missing value for required parameter 'dataset'.");
      const fields = dataset as MlflowMessage;
      const schema = optionalString(fields, 'schema');
      const profile = optionalString(fields, 'profile');
      return {
        dataset: {
          name: requiredString(fields, 'name'),
          digest: requiredString(fields, 'digest'),
          source_type: requiredString(fields, 'source_type'),
          source: requiredString(fields, 'source'),
          ...(schema === undefined ? {} : { schema }),
          ...(profile === undefined ? {} : { profile }),
        },
        tags: keyValueList(item, 'tags'),
      };
    });
    const runId = runIdOf(message);
    await app.db.transaction((tx) => logMlflowRunInputs(tx, runId, inputs));
    return {};
  });

  attach(app, ROUTE.mlflowUpdateRun, async (_values, request) => {
    const message = messageOf(request);
    const status = statusOf(optionalString(message, 'status'));
    const endTime = optionalInt(message, 'end_time');
    const runName = optionalString(message, 'run_name');
    const runInfo = await inTransaction((tx) =>
      updateMlflowRun(tx, runIdOf(message), {
        ...(status === undefined ? {} : { status }),
        ...(endTime === undefined ? {} : { endTime }),
        ...(runName === undefined || runName === '' ? {} : { runName }),
      }),
    );
    return { run_info: runInfo };
  });

  attach(app, ROUTE.mlflowDeleteRun, async (_values, request) => {
    const runId = runIdOf(messageOf(request));
    await setMlflowRunStage(app.db, runId, 'deleted');
    await auditRun(request, 'run.delete', runId);
    return {};
  });

  attach(app, ROUTE.mlflowRestoreRun, async (_values, request) => {
    const runId = runIdOf(messageOf(request));
    await setMlflowRunStage(app.db, runId, 'active');
    await auditRun(request, 'run.restore', runId);
    return {};
  });

  attach(app, ROUTE.mlflowLogParameter, async (_values, request) => {
    const message = messageOf(request);
    const param = { key: requiredString(message, 'key'), value: optionalString(message, 'value') ?? '' };
    await inTransaction((tx) => logMlflowBatch(tx, runIdOf(message), { params: [param] }));
    return {};
  });

  attach(app, ROUTE.mlflowLogMetric, async (_values, request) => {
    const message = messageOf(request);
    const runId = runIdOf(message);
    await inTransaction(async (tx) => {
      await logMlflowBatch(tx, runId, { metrics: [metricOf(message)] });
      await logMlflowModelMetrics(tx, runId, modelMetricsOf([message]));
    });
    return {};
  });

  attach(app, ROUTE.mlflowSetTag, async (_values, request) => {
    const message = messageOf(request);
    const tag = { key: requiredString(message, 'key'), value: optionalString(message, 'value') ?? '' };
    await inTransaction((tx) => logMlflowBatch(tx, runIdOf(message), { tags: [tag] }));
    return {};
  });

  attach(app, ROUTE.mlflowDeleteTag, async (_values, request) => {
    const message = messageOf(request);
    await deleteMlflowRunTag(app.db, runIdOf(message), requiredString(message, 'key'));
    return {};
  });

  attach(app, ROUTE.mlflowLogBatch, async (_values, request) => {
    const message = messageOf(request);
    const batch = {
      metrics: metricList(message, 'metrics'),
      params: keyValueList(message, 'params'),
      tags: keyValueList(message, 'tags'),
    };
    const runId = runIdOf(message);
    // Points that name a logged model are also that model's metrics (MLflow 3's log_model).
    const modelMetrics = modelMetricsOf(messageList(message, 'metrics'));
    await inTransaction(async (tx) => {
      await logMlflowBatch(tx, runId, batch);
      await logMlflowModelMetrics(tx, runId, modelMetrics);
    });
    return {};
  });

  attach(app, ROUTE.mlflowSearchRuns, async (_values, request) => {
    const message = messageOf(request);
    const filter = optionalString(message, 'filter');
    const { runs, nextOffset } = await searchMlflowRuns(app.db, {
      experimentIds: stringList(message, 'experiment_ids'),
      ...(filter === undefined ? {} : { filter }),
      view: viewTypeOf(message, 'run_view_type'),
      maxResults: maxResultsOf(message, 1000, MLFLOW_MAX_RESULTS.runs),
      orderBy: stringList(message, 'order_by'),
      offset: offsetOf(message),
    });
    const ids = runs.map((run) => run.info.run_id);
    const [inputs, outputs] = await Promise.all([
      mlflowRunInputs(app.db, ids),
      mlflowRunOutputs(app.db, ids),
    ]);
    const whole = (run: (typeof runs)[number]) => ({
      ...run,
      inputs: inputs.get(run.info.run_id) ?? {},
      outputs: outputs.get(run.info.run_id) ?? {},
    });
    return {
      ...(runs.length > 0 ? { runs: runs.map(whole) } : {}),
      ...nextPageToken(nextOffset),
    };
  });

  attach(app, ROUTE.mlflowMetricHistory, async (_values, request) => {
    const message = messageOf(request);
    const { metrics, nextOffset } = await mlflowMetricHistory(app.db, {
      runId: runIdOf(message),
      key: requiredString(message, 'metric_key'),
      maxResults: maxResultsOf(message, MLFLOW_MAX_RESULTS.metricHistory, MLFLOW_MAX_RESULTS.metricHistory),
      offset: offsetOf(message),
    });
    return { ...(metrics.length > 0 ? { metrics } : {}), ...nextPageToken(nextOffset) };
  });
};
