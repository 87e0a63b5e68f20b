/** The history table's columns: how each renders and which ones the column chooser may hide. */
import type { ReactNode } from 'react';
import { Anchor, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import type { RunListItem } from '../../api/types.js';
import type { Format } from '../../i18n/format.js';
import type { MessageKey } from '../../i18n/dictionary.js';
import { StatusBadge } from '../../runs/StatusBadge.js';
import type { SortKey } from './history-query.js';

/** One column. */
export interface Column {
  readonly id: string;
  readonly label: MessageKey;
  readonly sort?: SortKey;
  readonly render: (run: RunListItem, format: Format) => ReactNode;
}

/** Every column, in display order. */
export const COLUMNS = [
  {
    id: 'model',
    label: 'runs.model',
    sort: 'model_name',
    render: (run) => (
      <Anchor component={Link} to={`/runs/${run.id}`} data-testid="history-run-link">
        {run.model_name ?? run.id.slice(0, 8)}
      </Anchor>
    ),
  },
  {
    id: 'status',
    label: 'runs.status',
    sort: 'status',
    render: (run) => <StatusBadge status={run.status} />,
  },
  { id: 'backend', label: 'runs.backend', render: (run) => run.backend },
  { id: 'loto', label: 'runs.loto', render: (run) => run.loto },
  { id: 'unique_ids', label: 'runs.uniqueIds', render: (run) => run.unique_ids.join(', ') },
  { id: 'h', label: 'runs.h', render: (run) => run.horizon },
  { id: 'loss', label: 'runs.loss', render: (run) => run.loss },
  {
    id: 'metric',
    label: 'runs.metric',
    sort: 'metric',
    render: (run, format) => format.number(run.metricValue),
  },
  { id: 'operation', label: 'runs.operation', render: (run) => run.operation },
  {
    id: 'duration',
    label: 'runs.duration',
    sort: 'duration_seconds',
    render: (run, format) => format.duration(run.duration_seconds),
  },
  {
    id: 'start_time',
    label: 'runs.started',
    sort: 'start_time',
    render: (run, format) => format.dateTime(run.start_time),
  },
  {
    id: 'created_at',
    label: 'runs.created',
    sort: 'created_at',
    render: (run, format) => format.dateTime(run.created_at),
  },
  { id: 'table', label: 'runs.table', render: (run) => run.table_name },
  {
    id: 'error',
    label: 'runs.error',
    render: (run) => (
      <Text size="xs" c="red" lineClamp={1} maw={240}>
        {run.error_message}
      </Text>
    ),
  },
] as const satisfies readonly Column[];

/** A column id. */
export type ColumnId = (typeof COLUMNS)[number]['id'];

/** Columns shown until the user chooses. */
export const DEFAULT_COLUMNS: readonly ColumnId[] = [
  'model',
  'status',
  'backend',
  'loto',
  'unique_ids',
  'h',
  'loss',
  'metric',
  'duration',
  'created_at',
];

/** True for a stored column list this version knows. */
export const isColumnList = (value: unknown): value is ColumnId[] =>
  Array.isArray(value) && value.every((id) => COLUMNS.some((column) => column.id === id));
