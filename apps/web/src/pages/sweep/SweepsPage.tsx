/** Every sweep, newest first, with its progress counts. */
import { useState } from 'react';
import { Anchor, Group, Pagination, Stack, Table, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { api } from '../../api/endpoints.js';
import { useApi } from '../../api/use-api.js';
import { AsyncView } from '../../components/AsyncView.js';
import { useI18n } from '../../i18n/i18n.js';
import { StatusBadge } from '../../runs/StatusBadge.js';

const PAGE_SIZE = 25;

/** The sweeps list. */
export const SweepsPage = () => {
  const { t, format } = useI18n();
  const [page, setPage] = useState(1);
  const sweeps = useApi(`sweeps:${page}`, () =>
    api.sweeps({ limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
  );
  return (
    <Stack>
      <Title order={2}>{t('nav.sweeps')}</Title>
      <AsyncView resource={sweeps} isEmpty={(data) => data.items.length === 0} empty={t('sweeps.none')}>
        {(data) => (
          <>
            <Table striped highlightOnHover data-testid="sweeps-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('sweeps.name')}</Table.Th>
                  <Table.Th>{t('runs.status')}</Table.Th>
                  <Table.Th>{t('sweep.runs_finished')}</Table.Th>
                  <Table.Th>{t('sweep.runs_running')}</Table.Th>
                  <Table.Th>{t('sweep.runs_failed')}</Table.Th>
                  <Table.Th>{t('sweep.runs_queued')}</Table.Th>
                  <Table.Th>{t('runs.created')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((sweep) => (
                  <Table.Tr key={sweep.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/sweeps/${sweep.id}`}>
                        {sweep.name ?? sweep.id.slice(0, 8)}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <StatusBadge status={sweep.status} />
                    </Table.Td>
                    <Table.Td>{format.integer(sweep.runs_finished)}</Table.Td>
                    <Table.Td>{format.integer(sweep.runs_running)}</Table.Td>
                    <Table.Td>{format.integer(sweep.runs_failed)}</Table.Td>
                    <Table.Td>{format.integer(sweep.runs_queued)}</Table.Td>
                    <Table.Td>{format.dateTime(sweep.created_at)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Group justify="flex-end">
              <Pagination
                total={Math.max(1, Math.ceil(data.total / PAGE_SIZE))}
                value={page}
                onChange={setPage}
              />
            </Group>
          </>
        )}
      </AsyncView>
    </Stack>
  );
};
