import { auditQuerySchema } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_PAGE_LIMIT,
  readAuditFilters,
  toAuditApiQuery,
  writeAuditFilters,
} from '../../src/pages/audit/audit-query.js';

const serverAccepts = (query: Record<string, unknown>) =>
  auditQuerySchema.safeParse(
    Object.fromEntries(
      Object.entries(query)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => [key, String(value)]),
    ),
  );

describe('audit query', () => {
  it('round-trips through the URL and produces a query the server schema accepts', () => {
    const params = new URLSearchParams('since=2026-12-01&user=alice&action=auth.login');
    const filters = readAuditFilters(params);
    expect(filters).toEqual({ since: '2026-12-01', user: 'alice', action: 'auth.login' });
    expect(writeAuditFilters(filters).toString()).toBe(params.toString());
    const api = toAuditApiQuery(filters);
    expect(api).toMatchObject({ limit: AUDIT_PAGE_LIMIT });
    const parsed = serverAccepts(api);
    expect(parsed.success, JSON.stringify(parsed.error)).toBe(true);
  });

  it('drops what the server would refuse: unknown actions, malformed or year-0 dates, blank users', () => {
    const filters = readAuditFilters(new URLSearchParams('since=yesterday&user=%20%20&action=run.explode'));
    expect(filters).toEqual({});
    expect(readAuditFilters(new URLSearchParams('since=0000-01-01'))).toEqual({});
    expect(serverAccepts(toAuditApiQuery(filters)).success).toBe(true);
    expect(writeAuditFilters({}).toString()).toBe('');
  });
});
