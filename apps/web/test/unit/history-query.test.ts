import { listRunsQuerySchema, RUN_SORT_KEYS } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import {
  FILTER_KEYS,
  PAGE_SIZE,
  SORT_KEYS,
  readHistoryQuery,
  toApiQuery,
  writeHistoryQuery,
} from '../../src/pages/history/history-query.js';

describe('history query', () => {
  it('sorts by the server sort keys and filters only by fields the server query has', () => {
    expect(SORT_KEYS).toBe(RUN_SORT_KEYS);
    const serverKeys = Object.keys(listRunsQuerySchema.shape);
    for (const key of FILTER_KEYS) expect(serverKeys, key).toContain(key);
  });

  it('round-trips through the URL and produces a query the server schema accepts', () => {
    const params = new URLSearchParams(
      'model=auto_mlp&backend=ray&from=2026-01-01&metric_min=1.5&sort=metric&order=asc&page=3',
    );
    const query = readHistoryQuery(params);
    expect(writeHistoryQuery(query).toString()).toBe(params.toString());
    const api = toApiQuery(query);
    expect(api).toMatchObject({ limit: PAGE_SIZE, offset: 2 * PAGE_SIZE, sort: 'metric', order: 'asc' });
    const parsed = listRunsQuerySchema.safeParse(
      Object.fromEntries(Object.entries(api).map(([key, value]) => [key, String(value)])),
    );
    expect(parsed.success).toBe(true);
  });

  it('falls back to defaults for unknown sort keys and bad pages', () => {
    expect(readHistoryQuery(new URLSearchParams('sort=drop&page=-2'))).toEqual({
      filters: {},
      sort: 'created_at',
      order: 'desc',
      page: 1,
    });
  });
});
