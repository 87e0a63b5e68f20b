/** The audit log. */
import { auditQuerySchema, auditResponseSchema } from '../api/audit.js';
import { defineRoute } from './define.js';

/** Read by admins. */
export const AUDIT_ROUTES = {
  listAudit: defineRoute({
    method: 'GET',
    path: '/audit',
    summary: 'the audit log, newest first (filters: since, user, action)',
    access: 'admin',
    query: auditQuerySchema,
    response: auditResponseSchema,
  }),
} as const;
