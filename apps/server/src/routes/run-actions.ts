import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { RUN_ACTION_ROUTES as ROUTE, type ModelOperationInput } from '@nflab/contracts';
import {
  RunQueue,
  resumeSweep,
  submitEnsemble,
  submitModelOperation,
  submitRun,
  submitSweep,
} from '@nflab/runner';
import { updateRunTags } from '@nflab/store';
import { audit } from '../audit/record.js';
import { ForbiddenError } from '../auth/errors.js';
import { currentUser } from '../auth/plugin.js';
import { roleAllows } from '../auth/roles.js';
import { promoteRun, registeredStageOfRun } from '../registry/promote.js';
import { requireAdminForProd } from '../registry/prod-guard.js';
import { attach } from './attach.js';

/** Starting, cancelling and resuming work, and model operations (editor role; prod promotion: admin). */
export const runActionRoutes: FastifyPluginAsync = async (app) => {
  // The server never claims runs, so one queue (one worker identity) serves every request.
  const queue = new RunQueue(app.db);

  attach(app, ROUTE.startRun, async ({ body }, request, reply) => {
    const { spec } = body;
    const { runId } = await submitRun(app.db, queue, spec);
    await audit(request, { action: 'run.start', entity: 'run', entityId: runId });
    return reply.status(201).send({ runId });
  });

  attach(app, ROUTE.updateRunTags, async ({ params, body }, request) => {
    const { id } = params;
    const tags = await updateRunTags(app.db, id, body);
    await audit(request, {
      action: 'run.tag',
      entity: 'run',
      entityId: id,
      details: { set: Object.keys(body.set), removed: body.remove },
    });
    return { tags };
  });

  attach(app, ROUTE.cancelRun, async ({ params }, request) => {
    const { id } = params;
    const cancelled = await queue.cancelRun(id);
    await audit(request, { action: 'run.cancel', entity: 'run', entityId: id });
    return cancelled;
  });

  /** Queues a model operation on a finished run as a child run, audited as `run.<kind>`. */
  const startOperation = async (
    { id }: { readonly id: string },
    request: FastifyRequest,
    reply: FastifyReply,
    operation: ModelOperationInput,
  ): Promise<FastifyReply> => {
    const child = await submitModelOperation(app.db, queue, id, operation);
    await audit(request, {
      action: `run.${operation.kind}`,
      entity: 'run',
      entityId: id,
      details: { child_run_id: child.runId },
    });
    return reply.status(201).send(child);
  };

  attach(app, ROUTE.predict, async ({ params, body }, request, reply) => {
    return startOperation(params, request, reply, { kind: 'predict', ...body });
  });

  attach(app, ROUTE.refit, async ({ params }, request, reply) => {
    return startOperation(params, request, reply, { kind: 'refit' });
  });

  attach(app, ROUTE.crossValidate, async ({ params, body }, request, reply) => {
    return startOperation(params, request, reply, { kind: 'cv', ...body });
  });

  attach(app, ROUTE.importance, async ({ params, body }, request, reply) => {
    return startOperation(params, request, reply, { kind: 'importance', ...body });
  });

  // An ensemble has no one parent: its entry names the new run and lists the members it combines.
  attach(app, ROUTE.startEnsemble, async ({ body }, request, reply) => {
    const { runId } = await submitEnsemble(app.db, queue, body);
    await audit(request, {
      action: 'run.ensemble',
      entity: 'run',
      entityId: runId,
      details: { members: body.members.map((id) => id.toLowerCase()), method: body.method },
    });
    return reply.status(201).send({ runId });
  });

  attach(app, ROUTE.promote, async ({ params, body }, request) => {
    const { id } = params;
    const user = currentUser(request);
    // Production is what other systems serve from; only admins put a model there.
    if (body.stage === 'prod' && !roleAllows(user.role, 'admin'))
      throw new ForbiddenError('admin', user.role);
    // Nor take one out of it: promoting a run whose version is in prod to another stage moves it.
    const current = await registeredStageOfRun(app.db, id, body.name);
    if (current !== undefined)
      await requireAdminForProd(request, {
        name: current.name,
        version: current.version,
        from: current.stage,
        to: body.stage,
      });
    const entry = await promoteRun(app.db, { runId: id, ...body });
    await audit(request, {
      action: 'model.promote',
      entity: 'run',
      entityId: id,
      // name and version let the registry's history find the promotion (GET /api/registry/:name).
      details: {
        stage: body.stage,
        name: entry.name,
        version: entry.version,
        ...(body.alias === undefined ? {} : { alias: body.alias }),
      },
    });
    return entry;
  });

  attach(app, ROUTE.startSweep, async ({ body }, request, reply) => {
    const { name, spec } = body;
    const { sweepId, runIds } = await submitSweep(app.db, queue, spec, {
      maxCombinations: app.lab.maxCombinations,
      ...(name === undefined ? {} : { name }),
    });
    await audit(request, {
      action: 'sweep.start',
      entity: 'sweep',
      entityId: sweepId,
      details: { runs: runIds.length },
    });
    return reply.status(201).send({ sweepId, runIds, count: runIds.length });
  });

  attach(app, ROUTE.cancelSweep, async ({ params }, request) => {
    const { id } = params;
    const cancelled = await queue.cancelSweep(id);
    await audit(request, { action: 'sweep.cancel', entity: 'sweep', entityId: id });
    return cancelled;
  });

  attach(app, ROUTE.resumeSweep, async ({ params }, request) => {
    const { id } = params;
    const resumed = await resumeSweep(app.db, queue, id, { maxCombinations: app.lab.maxCombinations });
    await audit(request, { action: 'sweep.resume', entity: 'sweep', entityId: id });
    return resumed;
  });
};
