/** The history page's filters, sort and page, kept in the URL so a filtered view can be shared. */
import { RUN_SORT_KEYS, type RunSortKey } from '@nflab/contracts';
import type { ApiQuery } from '../../api/types.js';

/** Filter fields, as `GET /api/runs` names them. */
export const FILTER_KEYS = [
  'status',
  'model',
  'backend',
  'loto',
  'unique_id',
  'h',
  'loss',
  'from',
  'to',
  'metric',
  'metric_min',
  'metric_max',
  'tag',
] as const;
/** A filter field. */
export type FilterKey = (typeof FILTER_KEYS)[number];

/** Columns the table can sort by: the server's sort keys. */
export const SORT_KEYS = RUN_SORT_KEYS;
/** A sort key. */
export type SortKey = RunSortKey;

/** Rows per page. */
export const PAGE_SIZE = 25;

/** The parsed URL state. */
export interface HistoryQuery {
  readonly filters: Readonly<Partial<Record<FilterKey, string>>>;
  readonly sort: SortKey;
  readonly order: 'asc' | 'desc';
  readonly page: number;
}

/** Reads the URL's search params. */
export const readHistoryQuery = (params: URLSearchParams): HistoryQuery => {
  const filters: Partial<Record<FilterKey, string>> = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value !== null && value !== '') filters[key] = value;
  }
  const sort = params.get('sort');
  const page = Number(params.get('page'));
  return {
    filters,
    sort: SORT_KEYS.includes(sort as SortKey) ? (sort as SortKey) : 'created_at',
    order: params.get('order') === 'asc' ? 'asc' : 'desc',
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
};

/** Writes the state back to search params (defaults left out). */
export const writeHistoryQuery = (query: HistoryQuery): URLSearchParams => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query.filters))
    if (value !== undefined && value !== '') params.set(key, value);
  if (query.sort !== 'created_at') params.set('sort', query.sort);
  if (query.order !== 'desc') params.set('order', query.order);
  if (query.page !== 1) params.set('page', String(query.page));
  return params;
};

/** The `GET /api/runs` query of the state. */
export const toApiQuery = (query: HistoryQuery): ApiQuery<'listRuns'> => ({
  ...query.filters,
  sort: query.sort,
  order: query.order,
  limit: PAGE_SIZE,
  offset: (query.page - 1) * PAGE_SIZE,
});
