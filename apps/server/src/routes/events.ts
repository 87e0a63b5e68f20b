import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { EVENT_ROUTES } from '@nflab/contracts';
import { matches, replayEvents, type LabEvent } from '../events/hub.js';
import { attach } from './attach.js';

const HEARTBEAT_MS = 15_000;

// The browser's EventSource resends the last id it saw as Last-Event-ID; ?after= does the same by hand.
const resumeFrom = (request: FastifyRequest, after: number | undefined): number | undefined => {
  const header = request.headers['last-event-id'];
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : after;
};

const frame = (event: LabEvent): string =>
  `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.payload)}\n\n`;

/** `GET /api/events`: live events as Server-Sent Events, replaying what a reconnecting client missed. */
export const eventRoutes: FastifyPluginAsync = async (app) => {
  // Streams never end on their own; closing the server ends them so it can stop waiting on them.
  const open = new Set<{ end(): void }>();
  app.addHook('preClose', async () => {
    for (const stream of open) stream.end();
  });

  // No HEAD twin: Node sends a HEAD answer's headers only when it ends, and a stream never does.
  const noHeadTwin = { exposeHeadRoute: false };
  attach(
    app,
    EVENT_ROUTES.events,
    async ({ query }, request, reply) => {
      const filter = { runId: query.run_id, sweepId: query.sweep_id };
      const after = resumeFrom(request, query.after);
      await app.events.start();

      reply.hijack();
      const stream = reply.raw;
      stream.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        // Proxies such as nginx would otherwise hold events back in a buffer.
        'x-accel-buffering': 'no',
      });
      stream.write('retry: 2000\n\n');

      // Subscribe before replaying: live events wait in `pending` until the replay is written, and
      // the hub's cursor at this instant splits the two without overlap.
      let pending: LabEvent[] | undefined = [];
      const unsubscribe = app.events.subscribe((event) => {
        if (!matches(event, filter)) return;
        if (pending === undefined) stream.write(frame(event));
        else pending.push(event);
      });
      const upTo = app.events.cursor;
      const heartbeat = setInterval(() => stream.write(': heartbeat\n\n'), HEARTBEAT_MS);
      open.add(stream);
      request.raw.on('close', () => {
        open.delete(stream);
        clearInterval(heartbeat);
        unsubscribe();
      });
      if (after !== undefined && after < upTo) {
        for (const event of await replayEvents(app.db, { after, upTo, filter })) stream.write(frame(event));
      }
      for (const event of pending) stream.write(frame(event));
      pending = undefined;
    },
    noHeadTwin,
  );
};
