/** One monitor: its definition, recent executions (with the drift each found) and its alerts. */
import type { ReactNode } from 'react';
import { Code, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../../api/endpoints.js';
import type { MonitorRun } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { useCanEdit } from '../../auth/auth.js';
import { AsyncView, EmptyState } from '../../components/AsyncView.js';
import { useI18n } from '../../i18n/i18n.js';
import { MonitorActions } from './MonitorActions.js';
import { MonitorRunBadge } from './MonitorRunBadge.js';
import { thresholdText } from './MonitorsPage.js';
import { IdLink } from '../../components/IdLink.js';

const driftedText = (run: MonitorRun): string =>
  run.drifted.map((d) => (d.unique_id === null ? d.column : `${d.unique_id}:${d.column}`)).join(', ');

/** A table of executions (the recent ones, or the alerts). */
const RunsTable = ({ runs, testId }: { readonly runs: readonly MonitorRun[]; readonly testId: string }) => {
  const { t, format } = useI18n();
  if (runs.length === 0) return <EmptyState>{t('monitors.noRuns')}</EmptyState>;
  return (
    <Table fz="xs" striped data-testid={testId}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('monitors.startedAt')}</Table.Th>
          <Table.Th>{t('monitors.outcome')}</Table.Th>
          <Table.Th>{t('monitors.drifted')}</Table.Th>
          <Table.Th>{t('monitors.refit')}</Table.Th>
          <Table.Th>{t('monitors.error')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {runs.map((run) => (
          <Table.Tr key={run.id} data-testid={`${testId}-row`}>
            <Table.Td>{format.dateTime(run.started_at)}</Table.Td>
            <Table.Td>
              <MonitorRunBadge run={run} />
            </Table.Td>
            <Table.Td>{driftedText(run) || '—'}</Table.Td>
            <Table.Td>
              <IdLink kind="runs" id={run.refit_run_id} />
            </Table.Td>
            <Table.Td>{run.error ?? '—'}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
};

const Fact = ({ label, children }: { readonly label: string; readonly children: ReactNode }) => (
  <div>
    <Text size="xs" c="dimmed">
      {label}
    </Text>
    <Text size="sm">{children}</Text>
  </div>
);

/** The monitor page. */
export const MonitorPage = () => {
  const { t, format } = useI18n();
  const { name = '' } = useParams();
  const navigate = useNavigate();
  const canEdit = useCanEdit();
  const detail = useApi(`monitor:${name}`, () => api.monitor(name));
  return (
    <AsyncView resource={detail}>
      {({ monitor, runs, alerts }) => (
        <Stack data-testid="monitor-detail">
          <Title order={2}>{monitor.name}</Title>
          <Paper withBorder p="md">
            <SimpleGrid cols={{ base: 2, md: 4 }}>
              <Fact label={t('monitors.table')}>
                {monitor.table} · {monitor.loto}
              </Fact>
              <Fact label={t('monitors.schedule')}>
                <Code>{monitor.cron}</Code>
              </Fact>
              <Fact label={t('monitors.windowsTitle')}>
                {t('monitors.windows', {
                  current: monitor.current_draws,
                  reference: monitor.reference_draws,
                })}
              </Fact>
              <Fact label={t('monitors.thresholds')}>{thresholdText(monitor)}</Fact>
              <Fact label={t('monitors.nextRun')}>{format.dateTime(monitor.next_run_at)}</Fact>
              <Fact label={t('monitors.lastRun')}>
                <MonitorRunBadge run={monitor.last_run} />
              </Fact>
              <Fact label={t('monitors.field.retrainRunId')}>
                <IdLink kind="runs" id={monitor.retrain_run_id} />
              </Fact>
              <Fact label={t('monitors.webhook')}>{monitor.webhook_host ?? '—'}</Fact>
            </SimpleGrid>
          </Paper>
          {canEdit && (
            <MonitorActions
              name={monitor.name}
              onRan={detail.reload}
              onDeleted={() => navigate('/monitors')}
            />
          )}
          <Title order={4}>{t('monitors.alerts')}</Title>
          <RunsTable runs={alerts} testId="monitor-alerts" />
          <Title order={4}>{t('monitors.runs')}</Title>
          <RunsTable runs={runs} testId="monitor-runs" />
        </Stack>
      )}
    </AsyncView>
  );
};
