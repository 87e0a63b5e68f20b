import type { FastifyPluginAsync } from 'fastify';
import {
  cvRequestSchema,
  parseInput,
  predictRequestSchema,
  promoteRequestSchema,
  refitRequestSchema,
  runParamsSchema,
  startRunRequestSchema,
  startSweepRequestSchema,
  sweepParamsSchema,
} from '@nflab/contracts';
import { RunQueue, resumeSweep, submitModelOperation, submitRun, submitSweep } from '@nflab/runner';
import { ForbiddenError } from '../auth/errors.js';
import { currentUser } from '../auth/plugin.js';
import { roleAllows } from '../auth/roles.js';
import { promoteRun } from '../registry/promote.js';

/** Starting, cancelling and resuming work, and model operations (editor role; prod promotion: admin). */
export const runActionRoutes: FastifyPluginAsync = async (app) => {
  // The server never claims runs, so one queue (one worker identity) serves every request.
  const queue = new RunQueue(app.db);
  const editor = { config: { access: 'editor' as const } };

  app.post('/runs', editor, async (request, reply) => {
    const { spec } = parseInput(startRunRequestSchema, request.body, 'body');
    const { runId } = await submitRun(app.db, queue, spec);
    return reply.status(201).send({ runId });
  });

  app.post('/runs/:id/cancel', editor, async (request) => {
    const { id } = parseInput(runParamsSchema, request.params, 'path');
    return queue.cancelRun(id);
  });

  app.post('/runs/:id/predict', editor, async (request, reply) => {
    const { id } = parseInput(runParamsSchema, request.params, 'path');
    const body = parseInput(predictRequestSchema, request.body ?? {}, 'body');
    return reply
      .status(201)
      .send(await submitModelOperation(app.db, queue, id, { kind: 'predict', ...body }));
  });

  app.post('/runs/:id/refit', editor, async (request, reply) => {
    const { id } = parseInput(runParamsSchema, request.params, 'path');
    parseInput(refitRequestSchema, request.body ?? {}, 'body');
    return reply.status(201).send(await submitModelOperation(app.db, queue, id, { kind: 'refit' }));
  });

  app.post('/runs/:id/cv', editor, async (request, reply) => {
    const { id } = parseInput(runParamsSchema, request.params, 'path');
    const body = parseInput(cvRequestSchema, request.body, 'body');
    return reply.status(201).send(await submitModelOperation(app.db, queue, id, { kind: 'cv', ...body }));
  });

  app.post('/runs/:id/promote', editor, async (request) => {
    const { id } = parseInput(runParamsSchema, request.params, 'path');
    const body = parseInput(promoteRequestSchema, request.body, 'body');
    const user = currentUser(request);
    // Production is what other systems serve from; only admins put a model there.
    if (body.stage === 'prod' && !roleAllows(user.role, 'admin'))
      throw new ForbiddenError('admin', user.role);
    return promoteRun(app.db, { runId: id, ...body });
  });

  app.post('/sweeps', editor, async (request, reply) => {
    const { name, spec } = parseInput(startSweepRequestSchema, request.body, 'body');
    const { sweepId, runIds } = await submitSweep(app.db, queue, spec, {
      maxCombinations: app.lab.maxCombinations,
      ...(name === undefined ? {} : { name }),
    });
    return reply.status(201).send({ sweepId, runIds, count: runIds.length });
  });

  app.post('/sweeps/:id/cancel', editor, async (request) => {
    const { id } = parseInput(sweepParamsSchema, request.params, 'path');
    return queue.cancelSweep(id);
  });

  app.post('/sweeps/:id/resume', editor, async (request) => {
    const { id } = parseInput(sweepParamsSchema, request.params, 'path');
    return resumeSweep(app.db, queue, id, { maxCombinations: app.lab.maxCombinations });
  });
};
