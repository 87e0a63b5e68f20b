import type { FastifyReply, FastifyRequest } from 'fastify';
import { audit } from './record.js';

/**
 * onSend hook: a request refused for the caller's role (403) is audited as `access.denied`,
 * whichever check refused it (the guard, or a handler such as promotion to prod), so probing
 * for admin routes shows up in the log. onSend, not onResponse: the entry is written before the
 * client has its answer, so whoever reads the log next sees it.
 */
export const auditDenied = async <Payload>(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: Payload,
): Promise<Payload> => {
  if (reply.statusCode === 403) {
    await audit(request, {
      action: 'access.denied',
      entity: 'route',
      entityId: `${request.method} ${request.routeOptions.url ?? request.url}`,
      outcome: 'denied',
      details: { url: request.url },
    });
  }
  return payload;
};
