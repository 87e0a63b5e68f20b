/** Scheduled drift monitors: each with its schedule, table, thresholds, last run and alert state; editors create, run now and delete. */
import { Anchor, Code, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { api } from '../../api/endpoints.js';
import type { Monitor } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { useCanEdit } from '../../auth/auth.js';
import { AsyncView } from '../../components/AsyncView.js';
import { useI18n } from '../../i18n/i18n.js';
import { MonitorActions } from './MonitorActions.js';
import { MonitorForm } from './MonitorForm.js';
import { MonitorRunBadge } from './MonitorRunBadge.js';

/** `p < 0.01, PSI ≥ 0.2, holm`. */
export const thresholdText = (monitor: Monitor): string =>
  [
    `p < ${monitor.thresholds.p_value}`,
    ...(monitor.thresholds.psi === null ? [] : [`PSI ≥ ${monitor.thresholds.psi}`]),
    monitor.thresholds.p_adjust,
  ].join(', ');

const MonitorRow = ({ monitor, onChange }: { readonly monitor: Monitor; readonly onChange: () => void }) => {
  const { t, format } = useI18n();
  const canEdit = useCanEdit();
  return (
    <Table.Tr data-testid="monitor-row" data-name={monitor.name}>
      <Table.Td>
        <Anchor component={Link} to={`/monitors/${encodeURIComponent(monitor.name)}`}>
          {monitor.name}
        </Anchor>
      </Table.Td>
      <Table.Td>
        {monitor.table} · {monitor.loto}
      </Table.Td>
      <Table.Td>
        <Code>{monitor.cron}</Code>
        <Text size="xs" c="dimmed">
          {t('monitors.next', { at: format.dateTime(monitor.next_run_at) })}
        </Text>
      </Table.Td>
      <Table.Td>
        {t('monitors.windows', { current: monitor.current_draws, reference: monitor.reference_draws })}
      </Table.Td>
      <Table.Td>{thresholdText(monitor)}</Table.Td>
      <Table.Td>
        <MonitorRunBadge run={monitor.last_run} />
        {monitor.last_run !== null && (
          <Text size="xs" c="dimmed">
            {format.dateTime(monitor.last_run.started_at)}
          </Text>
        )}
      </Table.Td>
      {canEdit && (
        <Table.Td>
          <MonitorActions name={monitor.name} onRan={onChange} onDeleted={onChange} />
        </Table.Td>
      )}
    </Table.Tr>
  );
};

/** The monitors page. */
export const MonitorsPage = () => {
  const { t } = useI18n();
  const canEdit = useCanEdit();
  const monitors = useApi('monitors', () => api.monitors());
  return (
    <Stack>
      <Title order={2}>{t('nav.monitors')}</Title>
      <Text size="sm">{t('monitors.intro')}</Text>
      {canEdit && <MonitorForm onCreated={monitors.reload} />}
      <AsyncView resource={monitors} isEmpty={(data) => data.items.length === 0} empty={t('monitors.none')}>
        {(data) => (
          <Table striped highlightOnHover data-testid="monitors-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('monitors.name')}</Table.Th>
                <Table.Th>{t('monitors.table')}</Table.Th>
                <Table.Th>{t('monitors.schedule')}</Table.Th>
                <Table.Th>{t('monitors.windowsTitle')}</Table.Th>
                <Table.Th>{t('monitors.thresholds')}</Table.Th>
                <Table.Th>{t('monitors.lastRun')}</Table.Th>
                {canEdit && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((monitor) => (
                <MonitorRow key={monitor.id} monitor={monitor} onChange={monitors.reload} />
              ))}
            </Table.Tbody>
          </Table>
        )}
      </AsyncView>
    </Stack>
  );
};
