/** Live events as Server-Sent Events. */
import { eventsQuerySchema } from '../api/events.js';
import { defineRoute } from './define.js';

/** `GET /api/events` (viewer role). */
export const EVENT_ROUTES = {
  events: defineRoute({
    method: 'GET',
    path: '/events',
    summary: 'live events (text/event-stream); Last-Event-ID replays',
    access: 'viewer',
    query: eventsQuerySchema,
  }),
} as const;
