/**
 * The lab's model registry (`/api/registry…`): registered models with their versions, stages and
 * aliases, who moved what when (the audit log), stage and alias changes, and predicting with the
 * version an alias names. The rows are the ones MLflow clients read and write through
 * `/api/2.0/mlflow/registered-models/*`, so both APIs see one registry. Into or out of prod needs
 * the admin role, as promote does; every change is audited under entity `registered_model`.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import {
  MODEL_REGISTRY_ROUTES as ROUTE,
  NotFoundError,
  REGISTRY_HISTORY_LIMIT,
  type AuditAction,
} from '@nflab/contracts';
import { RunQueue, submitModelOperation } from '@nflab/runner';
import {
  auditEntryDto,
  deleteRegistryAlias,
  findRegistryVersionByAlias,
  getRegisteredModelRow,
  listRegisteredModelRows,
  listRegistryVersions,
  registryHistory,
  type Queryable,
  type RegisteredModelRow,
} from '@nflab/store';
import { audit } from '../audit/record.js';
import {
  moveRegistryStage,
  pointRegistryAlias,
  requireRegistryAlias,
  requireRegistryVersion,
  runOfVersion,
} from '../registry/moves.js';
import { aliasComparison, compareAliases } from '../registry/champion-challenger.js';
import { modelCardFile } from '../registry/model-card.js';
import { requireAdminForProd } from '../registry/prod-guard.js';
import { registeredModelDto } from '../registry/summary.js';
import { attach } from './attach.js';

const requireModel = async (db: Queryable, name: string): Promise<RegisteredModelRow> => {
  const model = await getRegisteredModelRow(db, name);
  if (model === undefined) throw new NotFoundError(`registered model ${JSON.stringify(name)} does not exist`);
  return model;
};

/** The registry routes. */
export const modelRegistryRoutes: FastifyPluginAsync = async (app) => {
  const queue = new RunQueue(app.db);
  const auditModel = (
    request: FastifyRequest,
    action: AuditAction,
    name: string,
    details: Record<string, unknown>,
  ) => audit(request, { action, entity: 'registered_model', entityId: name, details });

  attach(app, ROUTE.listRegistry, async () => {
    const models = await listRegisteredModelRows(app.db);
    const versions = await listRegistryVersions(app.db);
    return {
      items: models.map((model) =>
        registeredModelDto(
          model,
          versions.filter((version) => version.name === model.name),
        ),
      ),
    };
  });

  attach(app, ROUTE.getRegisteredModel, async ({ params }) => {
    const model = await requireModel(app.db, params.name);
    const versions = await listRegistryVersions(app.db, [params.name]);
    const history = await registryHistory(app.db, params.name, REGISTRY_HISTORY_LIMIT);
    return {
      model: registeredModelDto(model, versions),
      entries: [...versions].reverse(),
      history: history.map(auditEntryDto),
    };
  });

  attach(app, ROUTE.setRegistryStage, async ({ params, body }, request) => {
    const row = await requireRegistryVersion(app.db, params.name, params.version);
    await requireAdminForProd(request, {
      name: params.name,
      version: row.version,
      from: row.stage,
      to: body.stage,
    });
    const moved = await moveRegistryStage(app.db, row, {
      stage: body.stage,
      archiveOthers: body.archive_others,
    });
    await auditModel(request, 'model.stage', row.name, {
      version: row.version,
      from: row.stage,
      to: body.stage,
      ...(body.archive_others ? { archive_others: true } : {}),
    });
    return moved;
  });

  attach(app, ROUTE.getRegistryAlias, async ({ params }) =>
    requireRegistryAlias(app.db, params.name, params.alias),
  );

  attach(app, ROUTE.setRegistryAlias, async ({ params, body }, request) => {
    const row = await requireRegistryVersion(app.db, params.name, body.version);
    const previous = await findRegistryVersionByAlias(app.db, params.name, params.alias);
    const moved = await pointRegistryAlias(app.db, row, params.alias);
    await auditModel(request, 'model.alias', row.name, {
      alias: params.alias,
      version: row.version,
      from: previous?.version ?? null,
    });
    return moved;
  });

  attach(app, ROUTE.deleteRegistryAlias, async ({ params }, request, reply) => {
    const row = await requireRegistryAlias(app.db, params.name, params.alias);
    await deleteRegistryAlias(app.db, params.name, params.alias);
    await auditModel(request, 'model.alias_delete', params.name, {
      alias: params.alias,
      version: row.version,
    });
    return reply.status(204).send();
  });

  attach(app, ROUTE.getRegistryCard, async ({ params, query }, _request, reply) => {
    const row = await requireRegistryVersion(app.db, params.name, params.version);
    const card = await modelCardFile(app.db, row, query.format, {
      dataDb: app.dataDb,
      scope: app.lab.dataScope,
    });
    return (
      reply
        .type(card.contentType)
        .header('content-disposition', `inline; filename="${card.fileName}"`)
        // Shown inline in the registry page's sandboxed frame: it runs nothing and loads nothing.
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
        .send(card.body)
    );
  });

  attach(app, ROUTE.compareRegistryAliases, async ({ params, query }) =>
    compareAliases(app.db, aliasComparison(params.name, query)),
  );

  attach(app, ROUTE.predictRegistered, async ({ params, body }, request, reply) => {
    const { alias, version, ...predict } = body;
    const row =
      alias === undefined
        ? await requireRegistryVersion(app.db, params.name, version as number)
        : await requireRegistryAlias(app.db, params.name, alias);
    const runId = runOfVersion(row);
    const child = await submitModelOperation(app.db, queue, runId, { kind: 'predict', ...predict });
    await audit(request, {
      action: 'run.predict',
      entity: 'run',
      entityId: runId,
      details: {
        child_run_id: child.runId,
        registered_model: params.name,
        version: row.version,
        ...(alias === undefined ? {} : { alias }),
      },
    });
    return reply.status(201).send(child);
  });
};
