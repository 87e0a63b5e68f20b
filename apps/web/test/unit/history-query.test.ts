import { listRunsQuerySchema } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import {
  PAGE_SIZE,
  readHistoryQuery,
  toApiQuery,
  writeHistoryQuery,
} from '../../src/pages/history/history-query.js';

describe('history query', () => {
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
