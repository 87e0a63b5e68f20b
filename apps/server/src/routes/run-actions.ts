import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import {
  cvRequestSchema,
  parseInput,
  predictRequestSchema,
  promoteRequestSchema,
  refitRequestSchema,
  runParamsSchema,
  type RunOperationInput,
  startRunRequestSchema,
  startSweepRequestSchema,
  sweepParamsSchema,
} from '@nflab/contracts';
import { RunQueue, resumeSweep, submitModelOperation, submitRun, submitSweep } from '@nflab/runner';
import { audit } from '../audit/record.js';
import { ForbiddenError } from '../auth/errors.js';
import { currentUser } from '../auth/plugin.js';
import { roleAllows } from '../auth/roles.js';
import { promoteRun } from '../registry/promote.js';

/** A model operation on a finished run: everything but training, which starts from a spec. */
type ModelOperationRequest = Exclude<RunOperationInput, { kind: 'train' }>;

/** Starting, cancelling and resuming work, and model operations (editor role; prod promotion: admin). */
export const runActionRoutes: FastifyPluginAsync = async (app) => {
  // The server never claims runs, so one queue (one worker identity) serves every request.
  const queue = new RunQueue(app.db);
  const editor = { config: { access: 'editor' as const } };

  app.post('/runs', editor, async (request, reply) => {
    const { spec } = parseInput(startRunRequestSchema, request.body, 'body');
    const { runId } = await submitRun(app.db, queue, spec);
    await audit(request, { action: 'run.start', entity: 'run', entityId: runId });
    return reply.status(201).send({ runId });
  });

  app.post('/runs/:id/cancel', editor, async (request) => {
    const { id } = parseInput(runParamsSchema, request.params, 'path');
    const cancelled = await queue.cancelRun(id);
    await audit(request, { action: 'run.cancel', entity: 'run', entityId: id });
    return cancelled;
  });

  /** Queues a model operation on a finished run as a child run, audited as `run.<kind>`. */
  const startOperation = async (
    request: FastifyRequest,
    reply: FastifyReply,
    operation: ModelOperationRequest,
  ): Promise<FastifyReply> => {
    const { id } = parseInput(runParamsSchema, request.params, 'path');
    const child = await submitModelOperation(app.db, queue, id, operation);
    await audit(request, {
      action: `run.${operation.kind}`,
      entity: 'run',
      entityId: id,
      details: { child_run_id: child.runId },
    });
    return reply.status(201).send(child);
  };

  app.post('/runs/:id/predict', editor, async (request, reply) => {
    const body = parseInput(predictRequestSchema, request.body ?? {}, 'body');
    return startOperation(request, reply, { kind: 'predict', ...body });
  });

  app.post('/runs/:id/refit', editor, async (request, reply) => {
    parseInput(refitRequestSchema, request.body ?? {}, 'body');
    return startOperation(request, reply, { kind: 'refit' });
  });

  app.post('/runs/:id/cv', editor, async (request, reply) => {
    const body = parseInput(cvRequestSchema, request.body, 'body');
    return startOperation(request, reply, { kind: 'cv', ...body });
  });

  app.post('/runs/:id/promote', editor, async (request) => {
    const { id } = parseInput(runParamsSchema, request.params, 'path');
    const body = parseInput(promoteRequestSchema, request.body, 'body');
    const user = currentUser(request);
    // Production is what other systems serve from; only admins put a model there.
    if (body.stage === 'prod' && !roleAllows(user.role, 'admin'))
      throw new ForbiddenError('admin', user.role);
    const entry = await promoteRun(app.db, { runId: id, ...body });
    await audit(request, {
      action: 'model.promote',
      entity: 'run',
      entityId: id,
      details: { stage: body.stage },
    });
    return entry;
  });

  app.post('/sweeps', editor, async (request, reply) => {
    const { name, spec } = parseInput(startSweepRequestSchema, request.body, 'body');
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

  app.post('/sweeps/:id/cancel', editor, async (request) => {
    const { id } = parseInput(sweepParamsSchema, request.params, 'path');
    const cancelled = await queue.cancelSweep(id);
    await audit(request, { action: 'sweep.cancel', entity: 'sweep', entityId: id });
    return cancelled;
  });

  app.post('/sweeps/:id/resume', editor, async (request) => {
    const { id } = parseInput(sweepParamsSchema, request.params, 'path');
    const resumed = await resumeSweep(app.db, queue, id, { maxCombinations: app.lab.maxCombinations });
    await audit(request, { action: 'sweep.resume', entity: 'sweep', entityId: id });
    return resumed;
  });
};
