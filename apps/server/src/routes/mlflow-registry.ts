/**
 * MLflow's model registry (`registered-models/*`, `model-versions/*`) and MLflow 3's logged models
 * (`logged-models/*`, `runs/outputs`), answered in MLflow's JSON over the lab's own registry: a
 * version an MLflow client registers is one `nflab registry ls` lists, and the lab's promotions
 * are versions MLflow clients see. Moving a version into or out of Production (or deleting one
 * there) needs the admin role, as the lab's promote does. Registry changes are audited under
 * entity `registered_model`; tags and descriptions are the model's data and are not.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { MLFLOW_REGISTRY_ROUTES as ROUTE, type AuditAction } from '@nflab/contracts';
import {
  createMlflowLoggedModel,
  createMlflowModelVersion,
  createMlflowRegisteredModel,
  deleteMlflowAlias,
  deleteMlflowLoggedModel,
  deleteMlflowLoggedModelTag,
  deleteMlflowModelVersion,
  deleteMlflowRegisteredModel,
  finalizeMlflowLoggedModel,
  getLatestMlflowVersions,
  getMlflowLoggedModel,
  getMlflowRegisteredModel,
  invalidParameter,
  labStageOf,
  listRegistryVersions,
  logMlflowRunOutputs,
  noteModelVersionOnLoggedModel,
  renameMlflowRegisteredModel,
  requireModelVersion,
  requireVersionByAlias,
  searchMlflowLoggedModels,
  searchMlflowModelVersions,
  searchMlflowRegisteredModels,
  setMlflowAlias,
  setMlflowLoggedModelTags,
  setMlflowModelVersionTag,
  setMlflowRegisteredModelTag,
  toMlflowModelVersion,
  transitionMlflowModelVersion,
  updateMlflowModelVersion,
  updateMlflowRegisteredModel,
} from '@nflab/store';
import { audit } from '../audit/record.js';
import { mlflowErrorHandler } from '../mlflow/error-reply.js';
import {
  keyValueList,
  maxResultsOf,
  messageOf,
  nextPageToken,
  offsetOf,
  optionalInt,
  optionalString,
  requiredString,
  runIdOf,
  stringList,
  type MlflowMessage,
} from '../mlflow/fields.js';
import { requireAdminForProd } from '../registry/prod-guard.js';
import { attach } from './attach.js';

/** MLflow's page-size caps for the registry searches. */
export const MLFLOW_REGISTRY_MAX_RESULTS = { models: 1000, versions: 200_000, loggedModels: 1000 } as const;

const booleanOf = (message: MlflowMessage, name: string): boolean => {
  const value = message[name];
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw invalidParameter(
    `Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied: expected a boolean.`,
  );
};

const modelIdOf = (request: FastifyRequest): string => {
  const params = request.params as { model_id?: string };
  const id = params.model_id ?? '';
  if (!/^m-[0-9a-f]{32}$/.test(id)) throw invalidParameter(`Invalid logged model id '${id}'.`);
  return id;
};

/** The registry and logged-model routes, with MLflow's error bodies. */
export const mlflowRegistryRoutes: FastifyPluginAsync = async (app) => {
  app.setErrorHandler(mlflowErrorHandler);
  const auditModel = (
    request: FastifyRequest,
    action: AuditAction,
    name: string,
    details: Record<string, unknown> = {},
  ) =>
    audit(request, {
      action,
      entity: 'registered_model',
      entityId: name,
      details: { ...details, api: 'mlflow' },
    });
  const nameAndVersion = (message: MlflowMessage) => ({
    name: requiredString(message, 'name'),
    version: requiredString(message, 'version'),
  });

  attach(app, ROUTE.mlflowCreateRegisteredModel, async (_values, request) => {
    const message = messageOf(request);
    const description = optionalString(message, 'description');
    const name = requiredString(message, 'name');
    const registered = await createMlflowRegisteredModel(app.db, {
      name,
      ...(description === undefined ? {} : { description }),
      tags: keyValueList(message, 'tags'),
    });
    await auditModel(request, 'model.create', name);
    return { registered_model: registered };
  });

  attach(app, ROUTE.mlflowGetRegisteredModel, async (_values, request) => ({
    registered_model: await getMlflowRegisteredModel(app.db, requiredString(messageOf(request), 'name')),
  }));

  attach(app, ROUTE.mlflowUpdateRegisteredModel, async (_values, request) => {
    const message = messageOf(request);
    return {
      registered_model: await updateMlflowRegisteredModel(
        app.db,
        requiredString(message, 'name'),
        optionalString(message, 'description') ?? '',
      ),
    };
  });

  attach(app, ROUTE.mlflowRenameRegisteredModel, async (_values, request) => {
    const message = messageOf(request);
    const name = requiredString(message, 'name');
    const newName = requiredString(message, 'new_name');
    const renamed = await app.db.transaction((tx) => renameMlflowRegisteredModel(tx, name, newName));
    await auditModel(request, 'model.rename', newName, { from: name });
    return { registered_model: renamed };
  });

  attach(app, ROUTE.mlflowDeleteRegisteredModel, async (_values, request) => {
    const name = requiredString(messageOf(request), 'name');
    const versions = await listRegistryVersions(app.db, [name]);
    if (versions.some((version) => version.stage === 'prod'))
      await requireAdminForProd(request, { name, from: 'prod' });
    await deleteMlflowRegisteredModel(app.db, name);
    await auditModel(request, 'model.delete', name, { versions: versions.map((version) => version.version) });
    return {};
  });

  attach(app, ROUTE.mlflowSearchRegisteredModels, async (_values, request) => {
    const message = messageOf(request);
    if (stringList(message, 'order_by').some((item) => !/^name(\s+ASC)?$/i.test(item.trim())))
      throw invalidParameter('registered-models/search: the lab orders by name ascending only');
    const filter = optionalString(message, 'filter');
    const { items, nextOffset } = await searchMlflowRegisteredModels(app.db, {
      ...(filter === undefined ? {} : { filter }),
      maxResults: maxResultsOf(message, 100, MLFLOW_REGISTRY_MAX_RESULTS.models),
      offset: offsetOf(message),
    });
    return { ...(items.length > 0 ? { registered_models: items } : {}), ...nextPageToken(nextOffset) };
  });

  const latestVersions = async (request: FastifyRequest) => {
    const message = messageOf(request);
    const versions = await getLatestMlflowVersions(
      app.db,
      requiredString(message, 'name'),
      stringList(message, 'stages'),
    );
    return versions.length > 0 ? { model_versions: versions } : {};
  };
  attach(app, ROUTE.mlflowGetLatestVersions, async (_values, request) => latestVersions(request));
  attach(app, ROUTE.mlflowGetLatestVersionsGet, async (_values, request) => latestVersions(request));

  attach(app, ROUTE.mlflowSetRegisteredModelTag, async (_values, request) => {
    const message = messageOf(request);
    await setMlflowRegisteredModelTag(
      app.db,
      requiredString(message, 'name'),
      requiredString(message, 'key'),
      optionalString(message, 'value') ?? '',
    );
    return {};
  });

  attach(app, ROUTE.mlflowDeleteRegisteredModelTag, async (_values, request) => {
    const message = messageOf(request);
    await setMlflowRegisteredModelTag(
      app.db,
      requiredString(message, 'name'),
      requiredString(message, 'key'),
      undefined,
    );
    return {};
  });

  attach(app, ROUTE.mlflowSetAlias, async (_values, request) => {
    const message = messageOf(request);
    const { name, version } = nameAndVersion(message);
    const alias = requiredString(message, 'alias');
    await app.db.transaction(async (tx) =>
      setMlflowAlias(tx, await requireModelVersion(tx, name, version), alias),
    );
    await auditModel(request, 'model.alias', name, { alias, version: Number(version) });
    return {};
  });

  attach(app, ROUTE.mlflowDeleteAlias, async (_values, request) => {
    const message = messageOf(request);
    const name = requiredString(message, 'name');
    const alias = requiredString(message, 'alias');
    await deleteMlflowAlias(app.db, name, alias);
    await auditModel(request, 'model.alias_delete', name, { alias });
    return {};
  });

  attach(app, ROUTE.mlflowGetVersionByAlias, async (_values, request) => {
    const message = messageOf(request);
    const row = await requireVersionByAlias(
      app.db,
      requiredString(message, 'name'),
      requiredString(message, 'alias'),
    );
    return { model_version: toMlflowModelVersion(row, true) };
  });

  attach(app, ROUTE.mlflowCreateModelVersion, async (_values, request) => {
    const message = messageOf(request);
    const runId = optionalString(message, 'run_id');
    const modelId = optionalString(message, 'model_id');
    const description = optionalString(message, 'description');
    const runLink = optionalString(message, 'run_link');
    const row = await app.db.transaction(async (tx) => {
      const created = await createMlflowModelVersion(tx, {
        name: requiredString(message, 'name'),
        source: requiredString(message, 'source'),
        ...(runId === undefined ? {} : { runId }),
        ...(modelId === undefined || modelId === '' ? {} : { modelId }),
        ...(description === undefined ? {} : { description }),
        ...(runLink === undefined ? {} : { runLink }),
        tags: keyValueList(message, 'tags'),
      });
      // MLflow's server notes on the logged model which versions register it.
      if (modelId !== undefined && modelId !== '')
        await noteModelVersionOnLoggedModel(tx, modelId, { name: created.name, version: created.version });
      return created;
    });
    await auditModel(request, 'model.version_create', row.name, { version: row.version });
    return { model_version: toMlflowModelVersion(row, true) };
  });

  attach(app, ROUTE.mlflowGetModelVersion, async (_values, request) => {
    const { name, version } = nameAndVersion(messageOf(request));
    return { model_version: toMlflowModelVersion(await requireModelVersion(app.db, name, version), true) };
  });

  attach(app, ROUTE.mlflowUpdateModelVersion, async (_values, request) => {
    const message = messageOf(request);
    return {
      model_version: await updateMlflowModelVersion(
        app.db,
        nameAndVersion(message),
        optionalString(message, 'description') ?? '',
      ),
    };
  });

  attach(app, ROUTE.mlflowDeleteModelVersion, async (_values, request) => {
    const { name, version } = nameAndVersion(messageOf(request));
    const row = await requireModelVersion(app.db, name, version);
    await requireAdminForProd(request, { name, version: row.version, from: row.stage });
    await deleteMlflowModelVersion(app.db, row);
    await auditModel(request, 'model.version_delete', name, { version: row.version, stage: row.stage });
    return {};
  });

  attach(app, ROUTE.mlflowSearchModelVersions, async (_values, request) => {
    const message = messageOf(request);
    const filter = optionalString(message, 'filter');
    const { items, nextOffset } = await searchMlflowModelVersions(app.db, {
      ...(filter === undefined ? {} : { filter }),
      maxResults: maxResultsOf(message, 10_000, MLFLOW_REGISTRY_MAX_RESULTS.versions),
      offset: offsetOf(message),
    });
    return { ...(items.length > 0 ? { model_versions: items } : {}), ...nextPageToken(nextOffset) };
  });

  attach(app, ROUTE.mlflowTransitionStage, async (_values, request) => {
    const message = messageOf(request);
    const { name, version } = nameAndVersion(message);
    const stage = labStageOf(requiredString(message, 'stage'));
    const archiveExisting = booleanOf(message, 'archive_existing_versions');
    const row = await requireModelVersion(app.db, name, version);
    await requireAdminForProd(request, { name, version: row.version, from: row.stage, to: stage });
    const moved = await app.db.transaction((tx) =>
      transitionMlflowModelVersion(tx, row, { stage, archiveExisting }),
    );
    await auditModel(request, 'model.stage', name, { version: row.version, from: row.stage, to: stage });
    return { model_version: moved };
  });

  attach(app, ROUTE.mlflowSetModelVersionTag, async (_values, request) => {
    const message = messageOf(request);
    await setMlflowModelVersionTag(
      app.db,
      { ...nameAndVersion(message), key: requiredString(message, 'key') },
      optionalString(message, 'value') ?? '',
    );
    return {};
  });

  attach(app, ROUTE.mlflowDeleteModelVersionTag, async (_values, request) => {
    const message = messageOf(request);
    await setMlflowModelVersionTag(
      app.db,
      { ...nameAndVersion(message), key: requiredString(message, 'key') },
      undefined,
    );
    return {};
  });

  attach(app, ROUTE.mlflowGetDownloadUri, async (_values, request) => {
    const { name, version } = nameAndVersion(messageOf(request));
    return {
      artifact_uri: toMlflowModelVersion(await requireModelVersion(app.db, name, version), false).source,
    };
  });

  attach(app, ROUTE.mlflowCreateLoggedModel, async (_values, request) => {
    const message = messageOf(request);
    const name = optionalString(message, 'name');
    const sourceRunId = optionalString(message, 'source_run_id');
    const modelType = optionalString(message, 'model_type');
    const model = await app.db.transaction((tx) =>
      createMlflowLoggedModel(tx, {
        experimentId: requiredString(message, 'experiment_id'),
        ...(name === undefined ? {} : { name }),
        ...(sourceRunId === undefined ? {} : { sourceRunId }),
        ...(modelType === undefined ? {} : { modelType }),
        params: keyValueList(message, 'params'),
        tags: keyValueList(message, 'tags'),
      }),
    );
    return { model };
  });

  attach(app, ROUTE.mlflowSearchLoggedModels, async (_values, request) => {
    const message = messageOf(request);
    if (message.order_by !== undefined && message.order_by !== null)
      throw invalidParameter('logged-models/search: order_by is not supported by the lab yet; newest first');
    const filter = optionalString(message, 'filter');
    const { items, nextOffset } = await searchMlflowLoggedModels(app.db, {
      experimentIds: stringList(message, 'experiment_ids'),
      ...(filter === undefined ? {} : { filter }),
      maxResults: maxResultsOf(message, 100, MLFLOW_REGISTRY_MAX_RESULTS.loggedModels),
      offset: offsetOf(message),
    });
    return { ...(items.length > 0 ? { models: items } : {}), ...nextPageToken(nextOffset) };
  });

  attach(app, ROUTE.mlflowGetLoggedModel, async (_values, request) => ({
    model: await getMlflowLoggedModel(app.db, modelIdOf(request)),
  }));

  attach(app, ROUTE.mlflowFinalizeLoggedModel, async (_values, request) => ({
    model: await finalizeMlflowLoggedModel(
      app.db,
      modelIdOf(request),
      requiredString(messageOf(request), 'status'),
    ),
  }));

  attach(app, ROUTE.mlflowDeleteLoggedModel, async (_values, request) => {
    await deleteMlflowLoggedModel(app.db, modelIdOf(request));
    return {};
  });

  attach(app, ROUTE.mlflowSetLoggedModelTags, async (_values, request) => {
    const id = modelIdOf(request);
    const tags = keyValueList(messageOf(request), 'tags');
    await app.db.transaction((tx) => setMlflowLoggedModelTags(tx, id, tags));
    return {};
  });

  attach(app, ROUTE.mlflowDeleteLoggedModelTag, async (_values, request) => {
    const key = (request.params as { tag_key?: string }).tag_key ?? '';
    await deleteMlflowLoggedModelTag(app.db, modelIdOf(request), key);
    return {};
  });

  attach(app, ROUTE.mlflowLogOutputs, async (_values, request) => {
    const message = messageOf(request);
    const models = message.models;
    if (!Array.isArray(models) || !models.every((item) => item !== null && typeof item === 'object'))
      throw invalidParameter(
        "Invalid value for parameter 'models' supplied: expected a list of { model_id, step }.",
      );
    const outputs = (models as MlflowMessage[]).map((item) => ({
      modelId: requiredString(item, 'model_id'),
      step: optionalInt(item, 'step') ?? 0,
    }));
    const runId = runIdOf(message);
    await app.db.transaction((tx) => logMlflowRunOutputs(tx, runId, outputs));
    return {};
  });
};
