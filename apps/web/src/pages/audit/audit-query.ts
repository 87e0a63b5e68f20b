/** The audit page's filters, kept in the URL so a filtered view can be shared between admins. */
import { AUDIT_ACTIONS, type AuditAction } from '@nflab/contracts';
import type { ApiQuery } from '../../api/types.js';

/** Entries the page shows at most (newest first). */
export const AUDIT_PAGE_LIMIT = 200;

/** The filters of the audit page. */
export interface AuditFilters {
  /** A calendar day, `YYYY-MM-DD`: entries from its start (UTC) on. */
  readonly since?: string;
  /** An actor's name, exactly as recorded. */
  readonly user?: string;
  readonly action?: AuditAction;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the filters from the URL, dropping values the server would refuse. */
export const readAuditFilters = (params: URLSearchParams): AuditFilters => {
  const since = params.get('since') ?? '';
  const user = (params.get('user') ?? '').trim();
  const action = params.get('action') ?? '';
  return {
    ...(DAY.test(since) && !Number.isNaN(Date.parse(since)) && !since.startsWith('0000') ? { since } : {}),
    ...(user !== '' && user.length <= 128 ? { user } : {}),
    ...(AUDIT_ACTIONS.includes(action as AuditAction) ? { action: action as AuditAction } : {}),
  };
};

/** The URL search params of `filters` (empty filters left out). */
export const writeAuditFilters = (filters: AuditFilters): URLSearchParams => {
  const params = new URLSearchParams();
  for (const key of ['since', 'user', 'action'] as const) {
    const value = filters[key];
    if (value !== undefined && value !== '') params.set(key, value);
  }
  return params;
};

/** The `GET /api/audit` query of `filters`. */
export const toAuditApiQuery = (filters: AuditFilters): ApiQuery<'listAudit'> => ({
  since: filters.since,
  user: filters.user,
  action: filters.action,
  limit: AUDIT_PAGE_LIMIT,
});
