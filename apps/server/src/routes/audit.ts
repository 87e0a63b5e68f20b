import type { FastifyPluginAsync } from 'fastify';
import { AUDIT_ROUTES, type AuditResponseDto } from '@nflab/contracts';
import { auditEntryDto, listAuditEntries } from '@nflab/store';
import { attach } from './attach.js';

/** The audit log, read by admins (`GET /api/audit`). */
export const auditRoutes: FastifyPluginAsync = async (app) => {
  attach(app, AUDIT_ROUTES.listAudit, async ({ query }): Promise<AuditResponseDto> => {
    const rows = await listAuditEntries(app.db, {
      ...(query.since === undefined ? {} : { since: new Date(query.since) }),
      ...(query.user === undefined ? {} : { actor: query.user }),
      ...(query.action === undefined ? {} : { action: query.action }),
      limit: query.limit,
    });
    return { items: rows.map(auditEntryDto) };
  });
};
