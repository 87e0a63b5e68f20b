import type { FastifyPluginAsync } from 'fastify';
import { auditQuerySchema, parseInput, type AuditResponseDto } from '@nflab/contracts';
import { auditEntryDto, listAuditEntries } from '@nflab/store';

/** The audit log, read by admins (`GET /api/audit`). */
export const auditRoutes: FastifyPluginAsync = async (app) => {
  app.get('/audit', { config: { access: 'admin' } }, async (request): Promise<AuditResponseDto> => {
    const query = parseInput(auditQuerySchema, request.query, 'query');
    const rows = await listAuditEntries(app.db, {
      ...(query.since === undefined ? {} : { since: new Date(query.since) }),
      ...(query.user === undefined ? {} : { actor: query.user }),
      ...(query.action === undefined ? {} : { action: query.action }),
      limit: query.limit,
    });
    return { items: rows.map(auditEntryDto) };
  });
};
