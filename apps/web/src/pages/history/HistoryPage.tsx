/** Every run: server-side filter/sort/paginate, a column chooser, and selection for comparison. */
import { useState } from 'react';
import {
  Button,
  Checkbox,
  Group,
  Menu,
  Pagination,
  ScrollArea,
  Stack,
  Table,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../../api/endpoints.js';
import { useApi } from '../../api/use-api.js';
import { AsyncView } from '../../components/AsyncView.js';
import { useI18n } from '../../i18n/i18n.js';
import { usePersistentState } from '../../lib/persistent-state.js';
import { COLUMNS, DEFAULT_COLUMNS, isColumnList, type ColumnId } from './columns.js';
import { HistoryFilters } from './HistoryFilters.js';
import {
  PAGE_SIZE,
  readHistoryQuery,
  toApiQuery,
  writeHistoryQuery,
  type HistoryQuery,
  type SortKey,
} from './history-query.js';

/** Most runs the compare page shows side by side. */
const MAX_COMPARE = 4;

/** The history page. */
export const HistoryPage = () => {
  const { t, format } = useI18n();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const query = readHistoryQuery(params);
  const [visible, setVisible] = usePersistentState<ColumnId[]>(
    'nflab.history.columns',
    [...DEFAULT_COLUMNS],
    isColumnList,
  );
  const [selected, setSelected] = useState<readonly string[]>([]);
  const apiQuery = toApiQuery(query);
  const runs = useApi(`runs:${JSON.stringify(apiQuery)}`, () => api.runs(apiQuery));
  const setQuery = (next: Partial<HistoryQuery>) => setParams(writeHistoryQuery({ ...query, ...next }));
  const columns = COLUMNS.filter((column) => visible.includes(column.id));

  const sortBy = (key: SortKey) =>
    setQuery({ sort: key, order: query.sort === key && query.order === 'desc' ? 'asc' : 'desc', page: 1 });
  const toggle = (id: string, on: boolean) =>
    setSelected((previous) =>
      on ? [...previous, id].slice(-MAX_COMPARE) : previous.filter((x) => x !== id),
    );

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('history.title')}</Title>
        <Group>
          <Menu closeOnItemClick={false}>
            <Menu.Target>
              <Button variant="default" size="xs" data-testid="column-chooser">
                {t('history.columns')}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {COLUMNS.map((column) => (
                <Menu.Item key={column.id}>
                  <Checkbox
                    label={t(column.label)}
                    checked={visible.includes(column.id)}
                    onChange={(event) =>
                      setVisible(
                        event.currentTarget.checked
                          ? COLUMNS.map((c) => c.id).filter((id) => id === column.id || visible.includes(id))
                          : visible.filter((id) => id !== column.id),
                      )
                    }
                    data-testid={`column-toggle-${column.id}`}
                  />
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
          <Button
            size="xs"
            disabled={selected.length < 2}
            onClick={() => navigate(`/compare?ids=${selected.join(',')}`)}
            data-testid="compare-selected"
          >
            {t('history.compare', { n: selected.length })}
          </Button>
        </Group>
      </Group>
      <HistoryFilters
        key={params.toString()}
        value={query.filters}
        onApply={(filters) => setQuery({ filters, page: 1 })}
      />
      <AsyncView resource={runs} isEmpty={(data) => data.items.length === 0} empty={t('history.none')}>
        {(data) => (
          <>
            <Text size="sm" c="dimmed" data-testid="history-total">
              {t('history.total', { n: format.integer(data.total) })}
            </Text>
            <ScrollArea type="auto">
              <Table striped highlightOnHover fz="sm" data-testid="history-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={32} />
                    {columns.map((column) => (
                      <Table.Th
                        key={column.id}
                        aria-sort={
                          'sort' in column && query.sort === column.sort
                            ? query.order === 'asc'
                              ? 'ascending'
                              : 'descending'
                            : undefined
                        }
                      >
                        {'sort' in column ? (
                          <UnstyledButton
                            onClick={() => sortBy(column.sort)}
                            fw={600}
                            fz="sm"
                            data-testid={`sort-${column.id}`}
                          >
                            {t(column.label)}{' '}
                            {query.sort === column.sort ? (query.order === 'asc' ? '▲' : '▼') : ''}
                          </UnstyledButton>
                        ) : (
                          t(column.label)
                        )}
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((run) => (
                    <Table.Tr key={run.id} data-testid="history-row" data-run-id={run.id}>
                      <Table.Td>
                        <Checkbox
                          aria-label={t('history.select')}
                          checked={selected.includes(run.id)}
                          onChange={(event) => toggle(run.id, event.currentTarget.checked)}
                          data-testid="history-select"
                        />
                      </Table.Td>
                      {columns.map((column) => (
                        <Table.Td key={column.id}>{column.render(run, format)}</Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea>
            <Group justify="flex-end">
              <Pagination
                total={Math.max(1, Math.ceil(data.total / PAGE_SIZE))}
                value={query.page}
                onChange={(page) => setQuery({ page })}
                data-testid="history-pagination"
              />
            </Group>
          </>
        )}
      </AsyncView>
    </Stack>
  );
};
